package org.xenomarket.portal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DrlSourceTest {

    private static final String DRL = "package p;\n\nrule \"Broken\"\nwhen\n    Server( $id : serverId\nthen\nend\n";

    @Test
    void theMarketsLineAndColumnPutTheMessageAtItsLine() {
        DrlSource source = DrlSource.of("broken.drl", DRL, List.of("line 6, column 1: mismatched input 'then'"));
        assertTrue(source.faulty());
        DrlSource.Line then = source.lines().get(5);
        assertEquals(6, then.number());
        assertEquals("then", then.text());
        assertEquals(List.of(new DrlSource.Message(6, 1, "mismatched input 'then'")), then.messages());
        assertEquals(1, source.lines().stream().filter(DrlSource.Line::faulty).count(), "only line 6 is marked");
    }

    @Test
    void aMessageWithoutALineStaysWithTheSourceButOnNoLine() {
        DrlSource source = DrlSource.of("broken.drl", DRL, List.of("Unable to build the rule base"));
        assertEquals(List.of(new DrlSource.Message(0, 0, "Unable to build the rule base")), source.messages());
        assertTrue(source.lines().stream().noneMatch(DrlSource.Line::faulty));
    }

    @Test
    void severalMessagesOnOneLineAllShow() {
        DrlSource source = DrlSource.of("broken.drl", DRL,
                List.of("line 5, column 4: unknown type Server2", "line 5, column 18: missing ')'"));
        assertEquals(2, source.lines().get(4).messages().size());
    }

    @Test
    void theProblemsFieldNamesTheSourceByItsNameOrAPathEndingInIt() {
        DrlSource source = DrlSource.clean("congestion.drl", DRL);
        assertTrue(source.isNamedBy("drlSources.congestion.drl"));
        assertTrue(source.isNamedBy("drlSources.org/xenomarket/pricing/rules/congestion.drl"));
        assertFalse(source.isNamedBy("drlSources.peak-hours.drl"));
        assertFalse(source.isNamedBy("drlSources.my-congestion.drl"));
        assertFalse(source.isNamedBy("tables.congestion"));
    }
}
