package dev.vitcap.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Jetty's answers to requests that never reach the routes (a malformed request line, an ambiguous path)
 * in the API's form, {@code {"error": "..."}}, in place of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, body(code, message), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return body(status, reason);
    }

    private static ByteBuffer body(int code, String message) {
        String what = String.valueOf(HttpStatus.getMessage(code)).toLowerCase(Locale.ROOT);
        String line = message == null || message.isBlank() || message.equalsIgnoreCase(what) ? what : what + ": " + message.lines().findFirst().orElse("");
        return ByteBuffer.wrap(JSON.createObjectNode().put("error", line).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
