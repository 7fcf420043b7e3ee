package com.su7.messaging.tracing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Behind the tracing filter: answers every request with its {@value TraceHeaders#CORRELATION_ID}, the caller's own
 * if it sent a plain one, else the request's trace id, under which its events and log lines are found (and its trace
 * in Zipkin, when sampled).
 */
class CorrelationIdEchoFilter extends OncePerRequestFilter {

    private final Traces traces;

    CorrelationIdEchoFilter(Traces traces) {
        this.traces = traces;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = traces.currentCorrelationId();
        String traceparent = traces.currentTraceparent();
        if (correlationId != null) {
            response.setHeader(TraceHeaders.CORRELATION_ID, correlationId);
        } else if (traceparent != null) {
            response.setHeader(TraceHeaders.CORRELATION_ID, TraceHeaders.traceIdOf(traceparent));
        }
        chain.doFilter(request, response);
    }
}
