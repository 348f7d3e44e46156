package org.xenomarket.market;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket to the test market, for what a client library will not send:
 * a Content-Length that does not match the body, a chunked body, headers without their body. One
 * request per connection ({@code Connection: close}); the answer is read until the server closes.
 */
public final class RawHttp {

    /** A status, the headers (names in lower case) and the body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to write after the request line and Host: further header lines, then the body's bytes as they go. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method path} with the given extra header lines (each without CRLF), then lets
     * {@code body} write what follows the blank line. A server that answers before the body is all
     * sent may close the connection under the writer: the answer already sent is still read.
     */
    public static Answer send(String method, String path, String[] headers, Writer body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            head.append("\r\n");
            try {
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                body.write(out);
                out.flush();
            } catch (SocketException e) {
                // The server answered and closed early (a refusal before reading the body): read that answer.
            }
            return read(socket.getInputStream());
        }
    }

    /** A body of {@code size} bytes of {@code fill}, in chunks of {@code chunk} bytes, chunked encoding. */
    public static Writer chunked(long size, int chunk, byte fill) {
        return out -> {
            byte[] block = new byte[chunk];
            java.util.Arrays.fill(block, fill);
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(chunk, left);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(block, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                left -= n;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** Nothing after the headers: the server must judge the request by them alone. */
    public static Writer nothing() {
        return out -> {
        };
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            // Until the answer is complete: a server may keep the connection open while a body it refused is unsent.
            while (!complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // A reset after the answer was sent: keep what arrived.
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + text);
        }
        Map<String, String> headers = headers(text.substring(0, end));
        int status = Integer.parseInt(text.substring(0, text.indexOf("\r\n")).split(" ")[1]);
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static Map<String, String> headers(String head) {
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return headers;
    }

    /** Whether the text read holds a whole answer: headers, and the body its Content-Length or chunks say. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = headers(text.substring(0, end));
        String body = text.substring(end + 4);
        if (headers.containsKey("content-length")) {
            return body.length() >= Integer.parseInt(headers.get("content-length"));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return body.endsWith("0\r\n\r\n");
        }
        return false;
    }

    private static String dechunk(String body) {
        StringBuilder plain = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            plain.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return plain.toString();
    }
}
