package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCompilationTest {

    @Test
    void badDrlIsRefusedWithFileLineAndColumn() {
        String drl = """
                package org.xenomarket.pricing.rules;

                rule "Broken rule"
                when
                    Server( $id : serverId
                then
                    System.out.println($id);
                end
                """;
        PricingPolicy bad = new PricingPolicy("broken-1", Map.of("broken.drl", drl), PricingPolicy.builtIn().tables());
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class, () -> PricingEngine.compile(bad));
        assertTrue(!e.problems().isEmpty());
        PolicyCompilationException.Problem p = e.problems().get(0);
        assertEquals("broken.drl", p.source());
        // the unclosed pattern is noticed at 'then', line 6, first column
        assertEquals(6, p.line(), p.toString());
        assertEquals(1, p.column(), p.toString());
        assertTrue(e.getMessage().contains("broken.drl:" + p.line() + ":" + p.column()), e.getMessage());
    }

    @Test
    void ruleThatReadsAnUnknownFieldIsRefused() {
        String drl = """
                package org.xenomarket.pricing.rules;

                rule "Reads a field that does not exist"
                when
                    Server( altitude > 100 )
                then
                end
                """;
        PricingPolicy bad = new PricingPolicy("broken-2", Map.of("typo.drl", drl), PricingPolicy.builtIn().tables());
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class, () -> PricingEngine.compile(bad));
        assertTrue(e.getMessage().contains("altitude"), e.getMessage());
        assertEquals("typo.drl", e.problems().get(0).source());
    }
}
