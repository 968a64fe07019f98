package org.fadkd.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.runner.config.ConfigOverride.Absent;
import org.fadkd.runner.config.ConfigOverride.Glob;
import org.fadkd.runner.config.ConfigOverride.Prefix;
import org.fadkd.runner.config.ConfigOverride.Single;
import org.fadkd.runner.config.ConfigOverride.Sweep;
import org.junit.jupiter.api.Test;

final class TestOverrideParser {
    private static Object single(String raw) {
        ConfigOverride override = OverrideParser.parse(raw);
        assertThat(override.value()).as(raw).isInstanceOf(Single.class);
        return ((Single) override.value()).value().unwrapped();
    }

    private static List<Object> sweep(String raw) {
        ConfigOverride override = OverrideParser.parse(raw);
        assertThat(override.value()).as(raw).isInstanceOf(Sweep.class);
        assertThat(override.isSweep()).isTrue();
        return ((Sweep) override.value()).values().stream().map(ConfigValue::unwrapped).toList();
    }

    @Test
    void testPrefixesAndKeys() {
        ConfigOverride set = OverrideParser.parse("trainer.epochs=5");
        assertThat(set.prefix()).isEqualTo(Prefix.SET);
        assertThat(set.key()).isEqualTo("trainer.epochs");
        assertThat(OverrideParser.parse("+trainer.note=x").prefix()).isEqualTo(Prefix.ADD);
        assertThat(OverrideParser.parse("++trainer.note=x").prefix()).isEqualTo(Prefix.FORCE_ADD);
        ConfigOverride delete = OverrideParser.parse("~trainer.momentum");
        assertThat(delete.prefix()).isEqualTo(Prefix.DELETE);
        assertThat(delete.value()).isInstanceOf(Absent.class);
        assertThat(single("~trainer.momentum=0.9")).isEqualTo(0.9);
        ConfigOverride packaged = OverrideParser.parse("+model@assistant=cnn");
        assertThat(packaged.key()).isEqualTo("model@assistant");
        assertThat(single(" seed = 7 ")).isEqualTo(7);
        assertThat(OverrideParser.parse("\"a.b\".c=1").path()).isEqualTo("\"a.b\".c");
    }

    @Test
    void testDirectoryPlaceholdersArePlainText() {
        assertThat(single("run.dir=runs/{experiment}/{time}")).isEqualTo("runs/{experiment}/{time}");
        assertThat(sweep("sweep.subdir=job-{num},run-{num}")).containsExactly("job-{num}", "run-{num}");
        assertThatThrownBy(() -> OverrideParser.parse("run.dir=runs/{a b}"))
                .hasMessageContaining("has an unquoted '{'");
    }

    @Test
    void testPrimitives() {
        assertThat(single("k=5")).isEqualTo(5);
        assertThat(single("k=-5")).isEqualTo(-5);
        assertThat(single("k=12345678901")).isEqualTo(12345678901L);
        assertThat(single("k=2.5")).isEqualTo(2.5);
        assertThat(single("k=1e-3")).isEqualTo(0.001);
        assertThat(single("k=true")).isEqualTo(true);
        assertThat(single("k=False")).isEqualTo(false);
        assertThat(single("k=null")).isNull();
        assertThat(single("k=")).isEqualTo("");
        assertThat(single("k=fad-run")).isEqualTo("fad-run");
        assertThat(single("k=/tmp/x y")).isEqualTo("/tmp/x y");
        assertThat(single("k=a:b")).isEqualTo("a:b");
        assertThat(single("k=http://host/a#b")).isEqualTo("http://host/a#b");
    }

    @Test
    void testQuotingAndEscaping() {
        assertThat(single("k='a,b'")).isEqualTo("a,b");
        assertThat(single("k=\"a,b\"")).isEqualTo("a,b");
        assertThat(single("k='5'")).isEqualTo("5");
        assertThat(single("k='it\\'s'")).isEqualTo("it's");
        assertThat(single("k=\"[x]={y}\"")).isEqualTo("[x]={y}");
        assertThat(single("k=a\\,b")).isEqualTo("a,b");
        assertThat(single("k=f\\(x\\)")).isEqualTo("f(x)");
        assertThat(single("k=\"tab\\there\"")).isEqualTo("tab\there");
    }

    @Test
    void testListsReplaceAndObjectsMerge() {
        ConfigValue list = ((Single) OverrideParser.parse("k=[1, 2,'a,b']").value()).value();
        assertThat(list.valueType()).isEqualTo(ConfigValueType.LIST);
        assertThat(list.unwrapped()).isEqualTo(List.of(1, 2, "a,b"));
        assertThat(single("k=[]")).isEqualTo(List.of());
        ConfigValue object = ((Single) OverrideParser.parse("k={a:1, b:[x,y], c:{d:'e f'}}").value()).value();
        assertThat(object.valueType()).isEqualTo(ConfigValueType.OBJECT);
        assertThat(object.unwrapped()).isEqualTo(Map.of("a", 1, "b", List.of("x", "y"), "c", Map.of("d", "e f")));
    }

    @Test
    void testSubstitutionsAreKept() {
        ConfigValue value = ((Single) OverrideParser.parse("k=${seed}").value()).value();
        assertThat(value.render()).contains("${seed}");
    }

    @Test
    void testSweeps() {
        assertThat(sweep("method=kd,fad")).containsExactly("kd", "fad");
        assertThat(sweep("seed=1,2,3")).containsExactly(1, 2, 3);
        assertThat(sweep("k=[1,2],[3]")).containsExactly(List.of(1, 2), List.of(3));
        assertThat(sweep("k='a,b',c")).containsExactly("a,b", "c");
        assertThat(sweep("k=choice(kd, fad)")).containsExactly("kd", "fad");
        assertThat(sweep("k=range(3)")).containsExactly(0, 1, 2);
        assertThat(sweep("k=range(1,4)")).containsExactly(1, 2, 3);
        assertThat(sweep("k=range(1,10,3)")).containsExactly(1, 4, 7);
        assertThat(sweep("k=range(5,0,-2)")).containsExactly(5, 3, 1);
        assertThat(sweep("k=range(0,1,0.25)")).containsExactly(0.0, 0.25, 0.5, 0.75);
        assertThat(sweep("k=range(0,0.5,0.1)")).containsExactly(0.0, 0.1, 0.2, 0.3, 0.4);
        assertThat(((Sweep) OverrideParser.parse("k=range(1,3)").value()).form()).isEqualTo("range()");
    }

    @Test
    void testGlob() {
        Glob all = (Glob) OverrideParser.parse("method=glob(*, exclude=none)").value();
        assertThat(all.include()).containsExactly("*");
        assertThat(all.exclude()).containsExactly("none");
        assertThat(all.select(List.of("fad", "kd", "none"))).containsExactly("fad", "kd");
        Glob some = (Glob) OverrideParser.parse("method=glob([k*,f?d], exclude=[kd])").value();
        assertThat(some.select(List.of("fad", "kd", "kd-long", "none"))).containsExactly("fad", "kd-long");
        assertThat(OverrideParser.parse("method=glob(*)").isSweep()).isTrue();
    }

    @Test
    void testRenderedValuesParseBack() {
        for (String raw : List.of("k=kd", "k='a b'", "k='5'", "k=5", "k=0.25", "k=[1,'x y']", "k=true", "k='true'",
                "k='a,b'", "k=''", "k='True'", "k='nan'", "k='null'")) {
            ConfigValue value = ((Single) OverrideParser.parse(raw).value()).value();
            ConfigOverride written = OverrideParser.parse(OverrideParser.parse(raw).withValue(value));
            assertThat(((Single) written.value()).value().unwrapped()).as(raw).isEqualTo(value.unwrapped());
        }
    }

    @Test
    void testErrorsNameTheOverrideAndTheAllowedForms() {
        assertMalformed("=5", "Malformed override '=5': it has no key.");
        assertMalformed("seed", "Malformed override 'seed': expected key=value, e.g. trainer.epochs=5.");
        assertMalformed("+seed", "expected key=value");
        assertMalformed("a..b=1", "'a..b' is not a config path");
        assertMalformed("model@=cnn", "'model@' is not a config path");
        assertMalformed("k='open", "the quote ' at position 1 of ''open' is not closed");
        assertMalformed("k=[1,2", "a bracket, brace or parenthesis in '[1,2' is not closed");
        assertMalformed("k=1]", "']' in '1]' closes nothing");
        assertMalformed("k=a=b", "the value 'a=b' has an unquoted '='; quote it");
        assertMalformed("k=shuffle(1,2)", "'shuffle(...)' is not a sweep function; allowed: range(start,stop[,step]),"
                + " choice(a,b,...), glob(pattern, exclude=pattern)");
        assertMalformed("k=range(1,x)", "'x' is not a number; range(start, stop[, step]) takes 1 to 3 numbers");
        assertMalformed("k=range(1,2,0)", "the step of range() must not be 0");
        assertMalformed("k=range(5,1)", "range(5,1) is empty (stop is exclusive)");
        assertMalformed("k=range(1,2,3,4)", "takes 1 to 3 numbers");
        assertMalformed("k=choice()", "choice() needs at least one value");
        assertMalformed("k=glob(exclude=x)", "glob(pattern[, exclude=pattern]) takes a pattern");
        assertMalformed("~k=1,2", "'~' deletes one key; its value, if given, must be a single value");
        assertMalformed("k={a:}", "the value '{a:}' is not a valid list, object or substitution");
        assertThatThrownBy(() -> OverrideParser.parse("k=a=b"))
                .hasMessageEndingWith("Allowed forms: key=value, key= (empty string), +key=value, ++key=value, ~key,"
                        + " ~key=value, group=option, +group=option, ~group; values may be 'quoted', [lists],"
                        + " {objects}, or with --multirun a,b, range(start,stop[,step]), choice(a,b),"
                        + " glob(pattern, exclude=pattern).");
    }

    private static void assertMalformed(String raw, String expected) {
        assertThatThrownBy(() -> OverrideParser.parse(raw))
                .as(raw)
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith("Malformed override '" + raw + "': ")
                .hasMessageContaining(expected);
    }
}
