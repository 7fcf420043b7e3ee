package com.su7.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The boundaries every service keeps, checked by each service's {@code ArchitectureTests} on its main code (run in
 * the service's module directory, as Surefire does):
 * <ul>
 * <li>its feature packages (the packages right below the service's own, the shared base included) import each other
 * without a cycle;</li>
 * <li>of this project's code it uses only its own, the contract ({@code schemas}) and the shared {@code messaging} and
 * {@code security} modules: never another service, nor the local stack or test support;</li>
 * <li>each table its migrations create belongs to one feature package, and only that package (and those below it)
 * names the table in SQL.</li>
 * </ul>
 * The table rule reads the main sources: every string literal (text blocks included) is searched for a table named
 * after {@code from}, {@code join}, {@code into}, {@code update}, {@code table}, {@code truncate} or
 * {@code references}. So a statement assembled from a table name kept in a constant, or a second table listed
 * after a comma in a {@code from}, goes unseen: write the table's name into the statement and join it. (A literal
 * that is just a table's name does not count: {@code "center"} is also a metric tag.) Tables of the shared modules
 * (the outbox's, the inbox's) are theirs and not checked here.
 */
public final class ServiceBoundaries {

    /** This project's modules a service may use besides its own code: the contract and the shared modules. */
    private static final String[] SHARED_PACKAGES = {"com.su7.events..", "com.su7.contract..", "com.su7.messaging..",
            "com.su7.security.."};
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final String IDENTIFIER = "[a-z_][a-z0-9_]*";
    private static final String QUALIFIED_TABLE = "(?:" + IDENTIFIER + "\\.)?(" + IDENTIFIER + ")";
    private static final Pattern SQL_TABLE = Pattern.compile(
            "\\b(?:from|join|into|update|table|truncate|references)\\s+(?:only\\s+)?" + QUALIFIED_TABLE,
            Pattern.CASE_INSENSITIVE);
    /** create table (group 1), drop table (group 2), alter table rename (groups 3 and 4). */
    private static final Pattern TABLE_STATEMENT = Pattern.compile(
            "\\bcreate\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?" + QUALIFIED_TABLE
                    + "|\\bdrop\\s+table\\s+(?:if\\s+exists\\s+)?" + QUALIFIED_TABLE
                    + "|\\balter\\s+table\\s+(?:if\\s+exists\\s+)?" + QUALIFIED_TABLE + "\\s+rename\\s+to\\s+(" + IDENTIFIER + ")",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MIGRATION_VERSION = Pattern.compile("^V(\\d+(?:[._]\\d+)*)__.*\\.sql$");

    private final String rootPackage;
    private final Map<String, String> ownerOfTable = new HashMap<>();
    private JavaClasses classes;

    private ServiceBoundaries(String rootPackage, Map<String, Set<String>> tablesByFeature) {
        this.rootPackage = rootPackage;
        tablesByFeature.forEach((feature, tables) -> tables.forEach(table -> {
            String previous = ownerOfTable.put(table, rootPackage + "." + feature);
            if (previous != null) {
                throw new IllegalArgumentException("table %s is given to two features: %s and %s".formatted(table, previous, feature));
            }
        }));
    }

    /**
     * @param rootPackage     the service's package, e.g. {@code com.su7.orders}
     * @param tablesByFeature the tables each feature package (named relative to the root) owns
     */
    public static ServiceBoundaries of(String rootPackage, Map<String, Set<String>> tablesByFeature) {
        return new ServiceBoundaries(rootPackage, tablesByFeature);
    }

    public void checkFeaturesFreeOfCycles() {
        slices().matching(rootPackage + ".(*)..").namingSlices("feature $1")
                .should().beFreeOfCycles()
                .check(mainClasses());
    }

    public void checkUsesOnlyItsOwnAndSharedModules() {
        String[] allowed = Stream.concat(Stream.of(rootPackage + ".."), Arrays.stream(SHARED_PACKAGES)).toArray(String[]::new);
        noClasses().should().dependOnClassesThat(resideInAPackage("com.su7..").and(resideOutsideOfPackages(allowed)))
                .because("a service talks to the others through events only, and ships without the local stack and test support")
                .check(mainClasses());
    }

    public void checkTablesNamedOnlyByTheirFeature() {
        List<String> wrong = new ArrayList<>();
        Set<String> created = tablesCreatedByMigrations();
        for (String table : created) {
            if (!ownerOfTable.containsKey(table)) {
                wrong.add("table %s (created by a migration) belongs to no feature: give it to one".formatted(table));
            }
        }
        for (String table : new TreeSet<>(ownerOfTable.keySet())) {
            if (!created.contains(table)) {
                wrong.add("table %s is given to %s but no migration creates it".formatted(table, ownerOfTable.get(table)));
            }
        }
        for (Path source : files(MAIN_SOURCES, ".java")) {
            String packageName = packageOf(source);
            for (StringLiteral literal : StringLiteral.in(read(source))) {
                for (String table : tablesNamedIn(literal.text())) {
                    String owner = ownerOfTable.get(table);
                    if (owner != null && !packageName.equals(owner) && !packageName.startsWith(owner + ".")) {
                        wrong.add("%s:%d names table %s, which belongs to %s".formatted(source, literal.line(), table, owner));
                    }
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError("a feature's tables are read and written only through its own code:\n  "
                    + String.join("\n  ", wrong));
        }
    }

    private JavaClasses mainClasses() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(rootPackage);
        }
        return classes;
    }

    private static Set<String> tablesNamedIn(String literal) {
        Set<String> tables = new LinkedHashSet<>();
        Matcher matcher = SQL_TABLE.matcher(literal);
        while (matcher.find()) {
            tables.add(matcher.group(1).toLowerCase());
        }
        return tables;
    }

    /** The tables the migrations leave, applied in Flyway's order: versioned ones by version, then repeatable ones. */
    private static Set<String> tablesCreatedByMigrations() {
        Set<String> tables = new TreeSet<>();
        List<Path> all = files(MIGRATIONS, ".sql");
        List<Path> migrations = Stream.concat(
                all.stream().filter(path -> MIGRATION_VERSION.matcher(path.getFileName().toString()).matches())
                        .sorted(Comparator.comparing(ServiceBoundaries::version, Arrays::compare)),
                all.stream().filter(path -> path.getFileName().toString().startsWith("R__"))
                        .sorted(Comparator.comparing(path -> path.getFileName().toString()))).toList();
        for (Path migration : migrations) {
            String sql = read(migration).replaceAll("--[^\n]*", "");
            Matcher matcher = TABLE_STATEMENT.matcher(sql);
            while (matcher.find()) {
                if (matcher.group(1) != null) {
                    tables.add(matcher.group(1).toLowerCase());
                } else if (matcher.group(2) != null) {
                    tables.remove(matcher.group(2).toLowerCase());
                } else {
                    tables.remove(matcher.group(3).toLowerCase());
                    tables.add(matcher.group(4).toLowerCase());
                }
            }
        }
        return tables;
    }

    private static int[] version(Path migration) {
        Matcher matcher = MIGRATION_VERSION.matcher(migration.getFileName().toString());
        matcher.matches();
        return Arrays.stream(matcher.group(1).split("[._]")).mapToInt(Integer::parseInt).toArray();
    }

    private String packageOf(Path source) {
        Path relative = MAIN_SOURCES.relativize(source.getParent());
        return relative.toString().replace(relative.getFileSystem().getSeparator(), ".");
    }

    private static List<Path> files(Path directory, String extension) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("%s is not a directory: run the test in the service's module directory"
                    .formatted(directory.toAbsolutePath()));
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(path -> path.toString().endsWith(extension)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string literal of a Java source (a text block's content as written) and the line it starts on. */
    record StringLiteral(String text, int line) {

        /** The source's string literals, skipping comments and character literals. */
        static List<StringLiteral> in(String source) {
            List<StringLiteral> literals = new ArrayList<>();
            int line = 1;
            int i = 0;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    i = endOf(source, "\n", i + 2);
                } else if (source.startsWith("/*", i)) {
                    int end = endOf(source, "*/", i + 2);
                    line += count(source, i, end);
                    i = end;
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = closing(source, "\"\"\"", i + 3);
                    literals.add(new StringLiteral(source.substring(i + 3, Math.max(i + 3, end - 3)), line));
                    line += count(source, i, end);
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int end = closing(source, String.valueOf(c), i + 1);
                    if (c == '"') {
                        literals.add(new StringLiteral(source.substring(i + 1, Math.max(i + 1, end - 1)), line));
                    }
                    i = end;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    i++;
                }
            }
            return literals;
        }

        /** The index after the next unescaped {@code delimiter} from {@code from} on. */
        private static int closing(String source, String delimiter, int from) {
            int i = from;
            while (i < source.length()) {
                if (source.charAt(i) == '\\') {
                    i += 2;
                } else if (source.startsWith(delimiter, i)) {
                    return i + delimiter.length();
                } else {
                    i++;
                }
            }
            return source.length();
        }

        private static int endOf(String source, String delimiter, int from) {
            int end = source.indexOf(delimiter, from);
            return end < 0 ? source.length() : end + delimiter.length() - (delimiter.equals("\n") ? 1 : 0);
        }

        private static int count(String source, int from, int to) {
            return (int) source.substring(from, to).chars().filter(c -> c == '\n').count();
        }
    }
}
