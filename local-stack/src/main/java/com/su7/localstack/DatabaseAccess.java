package com.su7.localstack;

/** How a service reaches its own database: a JDBC URL and the credentials of the role that owns it. */
public record DatabaseAccess(String database, String jdbcUrl, String username, String password) {

    @Override
    public String toString() {
        return "DatabaseAccess[database=%s, jdbcUrl=%s, username=%s, password=***]".formatted(database, jdbcUrl, username);
    }
}
