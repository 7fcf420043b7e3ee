package com.su7.messaging.tracing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Ahead of the tracing filter: a caller's {@value TraceHeaders#CORRELATION_ID} that is not plain (see
 * {@link TraceHeaders#acceptedCorrelationId}) is not taken into the trace's baggage: the request goes on as if it had
 * sent none.
 */
class PlainCorrelationIdFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offered = request.getHeader(TraceHeaders.CORRELATION_ID);
        if (offered == null || TraceHeaders.acceptedCorrelationId(offered).isPresent()) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return TraceHeaders.CORRELATION_ID.equalsIgnoreCase(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return TraceHeaders.CORRELATION_ID.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }
        }, response);
    }
}
