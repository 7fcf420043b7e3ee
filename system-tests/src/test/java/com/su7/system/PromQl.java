package com.su7.system;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names a PromQL expression reads. Not a full parser (there is none for the JVM on Maven Central): a
 * tokenizer that knows enough of the grammar to tell a metric name from what only looks like one. An identifier is a
 * metric name unless it is
 * <ul>
 *   <li>a keyword, a word operator or an aggregation operator ({@code by}, {@code and}, {@code sum}, {@code Inf}, …);</li>
 *   <li>followed by {@code (}: a function;</li>
 *   <li>a label name: inside {@code {…}} (matchers) or in the list after {@code by}, {@code without}, {@code on},
 *       {@code ignoring}, {@code group_left}, {@code group_right};</li>
 *   <li>inside {@code […]} (a range, a subquery), a string or a comment, or part of a number or a duration.</li>
 * </ul>
 * Grafana's variables ({@code $__rate_interval}, {@code ${x}}) are skipped. A selector by {@code __name__} is refused:
 * it hides the name this exists to find. Unbalanced brackets are refused too.
 */
final class PromQl {

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> NOT_METRICS = Set.of(
            // keywords and word operators
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan",
            // aggregation operators (they may be followed by by/without before their parenthesis)
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");

    private final String text;
    private int at;

    private PromQl(String text) {
        this.text = text;
    }

    static Set<String> metricNames(String expression) {
        return new PromQl(expression).scan();
    }

    private Set<String> scan() {
        Set<String> names = new LinkedHashSet<>();
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#') {
                skipPast('\n', true);
            } else if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '{') {
                int start = at;
                skipBracketed('{', '}');
                if (text.substring(start, at).contains("__name__")) {
                    throw refused("a selector by __name__ hides the metric's name", start);
                }
            } else if (c == '[') {
                skipBracketed('[', ']');
            } else if (c == '$') {
                skipVariable();
            } else if (Character.isDigit(c) || c == '.' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1))) {
                // a number (1e3, 0x1f, 0.99) or a duration (5m, 1h30m)
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.' || text.charAt(at) == '_')) {
                    at++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                String identifier = identifier();
                String word = identifier.toLowerCase(Locale.ROOT);
                boolean call = nextNonSpace() == '(';
                if (GROUPING.contains(word)) {
                    if (call) {
                        skipWhitespace();
                        skipBracketed('(', ')');
                    }
                } else if (!NOT_METRICS.contains(word) && !call) {
                    names.add(identifier);
                }
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth < 0) {
                    throw refused("a ) without its (", at);
                }
                at++;
            }
        }
        if (depth != 0) {
            throw refused("%d ( without their )".formatted(depth), text.length());
        }
        return names;
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == ':')) {
            at++;
        }
        return text.substring(start, at);
    }

    private char nextNonSpace() {
        int i = at;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() ? text.charAt(i) : 0;
    }

    private void skipWhitespace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    /** From an opening bracket at {@code at} past its closing one; strings inside may hold either. */
    private void skipBracketed(char open, char close) {
        int start = at++;
        while (at < text.length() && text.charAt(at) != close) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == open) {
                throw refused("a %s inside a %s".formatted(open, open), at);
            } else {
                at++;
            }
        }
        if (at >= text.length()) {
            throw refused("a %s without its %s".formatted(open, close), start);
        }
        at++;
    }

    private void skipString(char quote) {
        int start = at++;
        while (at < text.length() && text.charAt(at) != quote) {
            // a raw string (`…`) has no escapes
            at += text.charAt(at) == '\\' && quote != '`' ? 2 : 1;
        }
        if (at >= text.length()) {
            throw refused("a string without its closing " + quote, start);
        }
        at++;
    }

    /** {@code $name} or {@code ${name}}: a Grafana variable, replaced before Prometheus sees the query. */
    private void skipVariable() {
        at++;
        if (at < text.length() && text.charAt(at) == '{') {
            skipPast('}', false);
        } else {
            identifier();
        }
    }

    private void skipPast(char end, boolean endOptional) {
        int start = at;
        while (at < text.length() && text.charAt(at) != end) {
            at++;
        }
        if (at >= text.length() && !endOptional) {
            throw refused("no " + end + " after this", start);
        }
        at++;
    }

    private IllegalArgumentException refused(String why, int position) {
        return new IllegalArgumentException("%s at %d of: %s".formatted(why, position, text));
    }
}
