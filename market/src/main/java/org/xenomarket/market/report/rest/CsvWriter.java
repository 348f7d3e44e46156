package org.xenomarket.market.report.rest;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.xenomarket.market.report.ReportTable;

/** Writes a report as RFC 4180 CSV: a header of column names, then one line per row. */
@Provider
@Produces("text/csv")
public class CsvWriter implements MessageBodyWriter<ReportTable> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return ReportTable.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(ReportTable table, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
            throws java.io.IOException {
        StringBuilder csv = new StringBuilder();
        csv.append(line(table.columns().stream().map(c -> (Object) c).toList()));
        table.rows().forEach(row -> csv.append(line(row)));
        out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String line(List<Object> values) {
        return values.stream().map(CsvWriter::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.matches(".*[\",\r\n].*") || text.contains("\n")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
