package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.h2.H2Functions;
import org.sedflow.udf.h2.H2Sedflow;
import org.sedflow.udf.spark.SparkSedflow;

/**
 * Issue #19: the function catalogue is the one list. The README's table is its output, and every
 * engine's install code has each of its forms, under the same argument names.
 */
class SqlCatalogTest {
    @Test
    void theReadmeTableIsTheCatalogues() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int a = readme.indexOf(SqlCatalog.BEGIN), b = readme.indexOf(SqlCatalog.END);
        assertTrue(a >= 0 && b > a, "README.md lacks the generated function table's markers");
        assertEquals(
                SqlCatalog.markdown(),
                readme.substring(a + SqlCatalog.BEGIN.length() + 1, b),
                "README.md's function table differs from the catalogue: paste `java -cp ... org.sedflow.udf.SqlCatalog`");
    }

    @Test
    void everyEngineInstallsEveryFormWithTheCataloguesArgumentNames() {
        String duck = String.join("\n", DuckDbSedflow.macros()), spark = String.join("\n", SparkSedflow.functions());
        List<String> h2 = Arrays.stream(H2Functions.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .toList();
        String h2Script = H2Sedflow.script();
        List<String> missing = new ArrayList<>();
        for (SqlCatalog.Function f : SqlCatalog.ALL) {
            List<String> args = f.arguments();
            String signature = "(" + String.join(", ", args) + ")";
            // DuckDB: the macro of the name has an overload with exactly these parameters (the Java functions aside)
            boolean duckOk = f.family() == SqlCatalog.Family.FLUX || f.family() == SqlCatalog.Family.CHECK
                    ? true
                    : duck.contains("MACRO " + f.name() + signature) || duck.contains("\n  " + signature + " AS ");
            if (!duckOk) missing.add("duckdb " + f.name() + signature);
            // Spark: a function of the Spark name whose parameters are these names, typed
            if (f.family() != SqlCatalog.Family.VERSION) {
                int at = spark.indexOf("FUNCTION " + f.sparkName() + "(");
                String params = at < 0 ? "" : spark.substring(at, spark.indexOf(") RETURNS", at));
                for (String n : args) if (!params.contains(n + " ")) missing.add("spark " + f.sparkName() + " " + n);
            }
            // H2: an alias of the name, for a public static method of the name in camel case
            String alias = f.name().toUpperCase();
            if (!h2Script.contains("CREATE ALIAS " + alias + " ")) missing.add("h2 alias " + alias);
            String method = Arrays.stream(f.name().split("_"))
                    .map(p -> Character.toUpperCase(p.charAt(0)) + p.substring(1))
                    .reduce("", String::concat);
            method = Character.toLowerCase(method.charAt(0)) + method.substring(1);
            if (!h2.contains(method)) missing.add("h2 method " + method);
        }
        assertTrue(missing.isEmpty(), "not installed as catalogued: " + missing);
        System.out.println(SqlCatalog.ALL.size() + " catalogued forms of "
                + SqlCatalog.names().size()
                + " names, in every engine's install code with the catalogue's argument names");
    }
}
