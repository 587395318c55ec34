package dev.oodlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code environment.yml} is a valid conda environment with what oodlab needs. No YAML library is
 * on the classpath, so the file is held to the subset conda environments use (top-level {@code key:
 * value} and {@code key:} followed by {@code - item} lists, comments) and parsed strictly: anything
 * else fails the test.
 */
class EnvironmentYmlTest {

    private static final Pattern KEY = Pattern.compile("([A-Za-z_][\\w-]*):(?:\\s+(\\S.*))?");
    private static final Pattern ITEM = Pattern.compile("  - (\\S.*)");

    /** The repository's environment.yml, found upwards from the working directory. */
    private static Path environmentYml() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("environment.yml"))
                    && Files.isDirectory(p.resolve("data-scripts"))) {
                return p.resolve("environment.yml");
            }
        }
        throw new IllegalStateException("environment.yml not found");
    }

    /** Top-level keys to a scalar (String) or a list of scalars (List of String). */
    static Map<String, Object> parse(List<String> lines) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<String> list = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i));
            String where = "line " + (i + 1) + ": '" + lines.get(i) + "'";
            if (line.contains("\t")) {
                fail(where + ": tabs are not allowed in YAML indentation");
            }
            if (line.isBlank()) {
                continue;
            }
            Matcher key = KEY.matcher(line);
            Matcher item = ITEM.matcher(line);
            if (key.matches()) {
                if (doc.containsKey(key.group(1))) {
                    fail(where + ": duplicate key " + key.group(1));
                }
                if (key.group(2) != null) {
                    doc.put(key.group(1), scalar(key.group(2), where));
                    list = null;
                } else {
                    list = new ArrayList<>();
                    doc.put(key.group(1), list);
                }
            } else if (item.matches() && list != null) {
                list.add(scalar(item.group(1), where));
            } else {
                fail(where + ": not a top-level key or a '  - item' of a list");
            }
        }
        return doc;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        while (hash >= 0) {
            if (hash == 0 || Character.isWhitespace(line.charAt(hash - 1))) {
                return line.substring(0, hash).stripTrailing();
            }
            hash = line.indexOf('#', hash + 1);
        }
        return line.stripTrailing();
    }

    private static String scalar(String s, String where) {
        if (s.matches("[\\[\\]{}&*!|>'\"%@`].*") || s.contains(": ")) {
            fail(where + ": only plain scalars are expected here");
        }
        return s;
    }

    @Test
    void isACondaEnvironmentWithWhatOodlabNeeds() throws IOException {
        Map<String, Object> doc = parse(Files.readAllLines(environmentYml()));

        assertEquals(List.of("name", "channels", "dependencies"), List.copyOf(doc.keySet()));
        assertEquals("oodlab", doc.get("name"));
        assertTrue(
                doc.get("channels") instanceof List<?> c && c.contains("conda-forge"), "channels");
        assertTrue(doc.get("dependencies") instanceof List<?>, "dependencies is a list");
        @SuppressWarnings("unchecked")
        List<String> deps = (List<String>) doc.get("dependencies");
        Map<String, String> packages = new LinkedHashMap<>();
        for (String d : deps) {
            Matcher m =
                    Pattern.compile("([A-Za-z0-9_.-]+)\\s*(?:(=|==|>=|<=|\\s)\\s*(\\S+))?")
                            .matcher(d);
            assertTrue(m.matches(), "not a conda package spec: " + d);
            assertFalse(packages.containsKey(m.group(1)), "listed twice: " + m.group(1));
            packages.put(m.group(1), m.group(3) == null ? "" : m.group(3));
        }
        assertTrue(packages.containsKey("openjdk"), "openjdk: " + packages);
        assertTrue(
                packages.get("openjdk").matches("17(\\..*|\\*)?"),
                "openjdk 17, got " + packages.get("openjdk"));
        for (String needed :
                List.of("maven", "notebook", "nbconvert", "nbclient", "jupyter_client")) {
            assertTrue(packages.containsKey(needed), needed + " missing from " + packages.keySet());
        }
    }

    @Test
    void theParserRejectsWhatItDoesNotUnderstand() {
        assertEquals(
                Map.of("name", "x", "dependencies", List.of("maven", "openjdk=17")),
                parse(
                        List.of(
                                "# c",
                                "name: x  # comment",
                                "dependencies:",
                                "  - maven",
                                "  - openjdk=17")));
        for (List<String> bad :
                List.of(
                        List.of("name: x", "name: y"),
                        List.of("dependencies:", "\t- maven"),
                        List.of("dependencies:", "    - maven"),
                        List.of("  - maven"),
                        List.of("name: {a: b}"))) {
            try {
                parse(bad);
            } catch (AssertionError expected) {
                continue;
            }
            fail("accepted " + bad);
        }
    }
}
