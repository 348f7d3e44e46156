package org.xenomarket.portal.form;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.portal.market.MarketProblem;

/** A form keeps what was typed and puts each message, the portal's or the market's, next to its field. */
class FormTest {

    @Test
    void aNumberThatIsNotOneIsRejectedAndTheTypedTextKept() {
        Form form = Form.of(Map.of("lat", " 95 ", "vcpus", "two"));
        assertNull(form.decimal("lat", "Latitude", BigDecimal.valueOf(-90), BigDecimal.valueOf(90)));
        assertNull(form.whole("vcpus", "vCPUs", 1, 1024, null));
        assertEquals("95", form.value("lat"));
        assertEquals("two", form.value("vcpus"));
        assertEquals("Latitude must be between -90 and 90.", form.error("lat"));
        assertEquals("vCPUs must be a whole number.", form.error("vcpus"));
        assertFalse(form.valid());
    }

    @Test
    void theMarketsFieldErrorsLandNextToTheFormsFieldsInPlainWords() {
        Form form = Form.of(Map.of("vcpus", "512", "lat", "52.2"));
        form.absorb(new MarketProblem(422, "Unsatisfiable", "no server has 512 vCPUs",
                Map.of("resources.vcpus", "is more than the largest server there has (32)")), Map.of("vcpus", "vcpus"));
        assertEquals("Is more than the largest server there has (32).", form.error("vcpus"));
        assertNull(form.summary());
    }

    @Test
    void aProblemNamingNoKnownFieldBecomesTheFormsSummary() {
        Form form = Form.of(Map.of());
        form.absorb(new MarketProblem(409, "Conflict", "the version 2026.12 exists already", Map.of()), Map.of());
        assertEquals("The version 2026.12 exists already.", form.summary());
    }
}
