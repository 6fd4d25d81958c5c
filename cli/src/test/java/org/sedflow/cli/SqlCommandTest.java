package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlCommandTest {
    @Test
    void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(
                List.of("SELECT 'a;b' AS \"x;y\"", "SELECT 2"),
                SqlScript.statements("SELECT 'a;b' AS \"x;y\"; -- a comment; with a semicolon\n;; SELECT 2;\n"));
        assertEquals(List.of("SELECT 'it''s; fine'"), SqlScript.statements("SELECT 'it''s; fine'"));
        assertEquals(List.of(), SqlScript.statements(" ; -- nothing\n"));
    }

    @Test
    void userErrorsAreOneLineWithExitCodeTwo() {
        assertEquals(2, Main.run(new String[] {"sql", "--engine", "oracle", "-e", "SELECT 1"}));
        assertEquals(2, Main.run(new String[] {"sql", "--model", "/nonexistent.flow", "-e", "SELECT 1"}));
        assertEquals(2, Main.run(new String[] {"sql", "--bogus", "1"}));
        assertEquals(2, Main.run(new String[] {"bench", "sql", "--model", "/nonexistent.flow"}));
    }

    @Test
    void dashEIsTheQuery() {
        assertEquals(
                List.of("--engine", "h2", "--execute", "SELECT 1"),
                List.of(SqlCommand.dashE(new String[] {"--engine", "h2", "-e", "SELECT 1"})));
    }
}
