package dev.onepg.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends an API answer in one write, with a {@code Content-Length}. Spring MVC flushes the body as soon as its
 * converter has written it, which commits the response: the server then sends the headers and body as a chunk and,
 * when the request ends, the closing chunk in a second write. The API's answers fit the server's response buffer,
 * so the flushes are left to the end of the request, where the server knows the length and writes once (profiled:
 * the socket writes were a tenth of a request thread's CPU). A body larger than the buffer still goes out as it is
 * written, in chunks.
 */
class SingleWriteResponseFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new FlushAtEndResponse(response));
    }

    private static final class FlushAtEndResponse extends HttpServletResponseWrapper {

        private @Nullable ServletOutputStream stream;

        FlushAtEndResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void flushBuffer() {
            // written when the request ends
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new FlushAtEndStream(super.getOutputStream());
            }
            return stream;
        }
    }

    private static final class FlushAtEndStream extends ServletOutputStream {

        private final ServletOutputStream body;

        FlushAtEndStream(ServletOutputStream body) {
            this.body = body;
        }

        @Override
        public void write(int b) throws IOException {
            body.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            body.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            // written when the request ends
        }

        @Override
        public void close() throws IOException {
            body.close();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            body.setWriteListener(listener);
        }
    }
}
