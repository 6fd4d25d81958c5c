package org.sedflow.udf.duckdb;

/**
 * What a DuckDB callback throws: DuckDB's Java function wrapper turns an exception into the SQL
 * error text by printing its stack trace, so this one has no stack and prints as its message
 * alone ("Invalid Input Error: unknown quantity 'x'; known: ...").
 */
final class DuckDbError extends IllegalArgumentException {
    private DuckDbError(String message) {
        super(message);
        setStackTrace(new StackTraceElement[0]);
    }

    static DuckDbError of(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DuckDbError(m);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
