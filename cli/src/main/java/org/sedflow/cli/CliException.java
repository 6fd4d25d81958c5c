package org.sedflow.cli;

/** A user error: printed as one line, exit code 2, no stack trace. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
