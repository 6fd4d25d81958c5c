package org.sedflow.udf.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParameterContext;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.collection.immutable.Seq;
import scala.runtime.BoxedUnit;

/**
 * {@code spark.sql.extensions=org.sedflow.udf.spark.SedflowSparkExtensions}: the SEDflow functions
 * in every session with no Java code ({@code spark-sql}, {@code spark-submit} of SQL). The
 * session's parser is wrapped so that the first statement it parses first installs the functions
 * ({@link SparkSedflow#install}, whose own statements pass straight through); then every call is
 * the delegate's.
 */
public final class SedflowSparkExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {
    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectParser((session, parser) -> new InstallingParser(session, parser));
        return BoxedUnit.UNIT;
    }

    /** The session's parser, installing the functions before the first statement. */
    static final class InstallingParser implements ParserInterface {
        private final SparkSession session;
        private final ParserInterface delegate;
        private boolean installed, installing;

        InstallingParser(SparkSession session, ParserInterface delegate) {
            this.session = session;
            this.delegate = delegate;
        }

        private synchronized void install() {
            if (installed || installing) return;
            installing = true; // install's own CREATE FUNCTION statements come through here again
            try {
                SparkSedflow.install(session);
                installed = true;
            } finally {
                installing = false;
            }
        }

        @Override
        public LogicalPlan parsePlan(String sql) throws ParseException {
            install();
            return delegate.parsePlan(sql);
        }

        @Override
        public LogicalPlan parsePlanWithParameters(String sql, ParameterContext parameters) throws ParseException {
            install();
            return delegate.parsePlanWithParameters(sql, parameters);
        }

        @Override
        public Expression parseExpression(String sql) throws ParseException {
            return delegate.parseExpression(sql);
        }

        @Override
        public TableIdentifier parseTableIdentifier(String sql) throws ParseException {
            return delegate.parseTableIdentifier(sql);
        }

        @Override
        public FunctionIdentifier parseFunctionIdentifier(String sql) throws ParseException {
            return delegate.parseFunctionIdentifier(sql);
        }

        @Override
        public Seq<String> parseMultipartIdentifier(String sql) throws ParseException {
            return delegate.parseMultipartIdentifier(sql);
        }

        @Override
        public LogicalPlan parseQuery(String sql) throws ParseException {
            return delegate.parseQuery(sql);
        }

        @Override
        public StructType parseRoutineParam(String sql) throws ParseException {
            return delegate.parseRoutineParam(sql);
        }

        @Override
        public StructType parseTableSchema(String sql) throws ParseException {
            return delegate.parseTableSchema(sql);
        }

        @Override
        public DataType parseDataType(String sql) throws ParseException {
            return delegate.parseDataType(sql);
        }
    }
}
