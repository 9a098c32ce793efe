package io.github.dropin.keycloak.rest.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatorTest {

    static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    static String errorsOf(String body, Field... fields) throws Exception {
        try {
            Validator.validate(json(body), List.of(fields), false);
            return "valid";
        } catch (ApiError e) {
            return new String((byte[]) e.render(ErrorStyle.DRF).getEntity());
        }
    }

    @Test
    void reportsEveryFieldWithDrfMessages() throws Exception {
        assertThat(errorsOf("{}", Field.string("username"), Field.password("password")))
                .isEqualTo("{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}");
        assertThat(errorsOf("{\"username\":null,\"password\":\"\"}", Field.string("username"), Field.password("password")))
                .isEqualTo("{\"username\":[\"This field may not be null.\"],\"password\":[\"This field may not be blank.\"]}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1,2]|{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}",
            "\"x\"|{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got str.\"]}",
            "5|{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got int.\"]}",
            "true|{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got bool.\"]}",
            "null|{\"non_field_errors\":[\"No data provided\"]}",
    })
    void refusesBodiesThatAreNotObjects(String body, String expected) throws Exception {
        assertThat(errorsOf(body, Field.string("a"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": {}}|{\"a\":[\"Not a valid string.\"]}",
            "{\"a\": []}|{\"a\":[\"Not a valid string.\"]}",
            "{\"a\": false}|{\"a\":[\"Not a valid string.\"]}",
            "{\"a\": \"   \"}|{\"a\":[\"This field may not be blank.\"]}",
            "{\"a\": \"x\\u0000y\"}|{\"a\":[\"Null characters are not allowed.\"]}",
            "{\"a\": \"\\ud800\"}|{\"a\":[\"Surrogate characters are not allowed: U+D800.\"]}",
            "{\"a\": \"123456\"}|{\"a\":[\"Ensure this field has no more than 5 characters.\"]}",
    })
    void stringFieldsFollowCharField(String body, String expected) throws Exception {
        assertThat(errorsOf(body, Field.string("a").max(5))).isEqualTo(expected);
    }

    @Test
    void numbersAreAcceptedAsStringsAndEmojiCountAsOneCharacter() throws Exception {
        Input input = Validator.validate(json("{\"a\": 12, \"b\": \"\uD83D\uDE00\uD83D\uDE00\"}"),
                List.of(Field.string("a"), Field.string("b").max(2)), false);
        assertThat(input.str("a")).isEqualTo("12");
        assertThat(input.str("b")).hasSize(4);
    }

    @Test
    void passwordsAreNotTrimmedButOtherStringsAre() throws Exception {
        Input input = Validator.validate(json("{\"u\": \" bob \", \"p\": \" secret \"}"),
                List.of(Field.string("u"), Field.password("p")), false);
        assertThat(input.str("u")).isEqualTo("bob");
        assertThat(input.str("p")).isEqualTo(" secret ");
    }

    @Test
    void codesKeepNumbersAsNumbers() throws Exception {
        Input input = Validator.validate(json("{\"code\": 12345, \"other\": \"012345\"}"),
                List.of(Field.code("code"), Field.code("other")), false);
        assertThat(input.code("code")).isEqualTo(BigInteger.valueOf(12345));
        assertThat(input.code("other")).isEqualTo("012345");
        assertThat(errorsOf("{\"code\": 1234567890123456789012345678901234567890}", Field.code("code"))).isEqualTo("{\"code\":[\"Ensure this field has no more than 32 characters.\"]}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "true|true", "false|false", "\"true\"|true", "\"False\"|false", "1|true", "0|false", "\"on\"|true"})
    void booleansFollowBooleanField(String value, boolean expected) throws Exception {
        Input input = Validator.validate(json("{\"t\": " + value + "}"), List.of(Field.bool("t")), false);
        assertThat(input.bool("t")).isEqualTo(expected);
    }

    @Test
    void invalidBooleansAndFormCheckboxes() throws Exception {
        assertThat(errorsOf("{\"t\": \"maybe\"}", Field.bool("t"))).isEqualTo("{\"t\":[\"Must be a valid boolean.\"]}");
        assertThat(errorsOf("{\"t\": 2}", Field.bool("t"))).isEqualTo("{\"t\":[\"Must be a valid boolean.\"]}");
        assertThat(Validator.validate(json("{}"), List.of(Field.bool("t")), true).bool("t")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"a@b.co,true", "first.last+tag@example.com,true", "user@localhost,true", "a@b,false", "@b.co,false",
            "a b@c.de,false", "a@-b.de,false", "a@b..de,false", "äö@x.de,false", "a@b.c,false"})
    void emailsFollowDjangosValidator(String email, boolean valid) {
        assertThat(Validator.isValidEmail(email)).isEqualTo(valid);
    }

    @Test
    void optionalFieldsMayBeAbsentAndBlankWhereAllowed() throws Exception {
        Input input = Validator.validate(json("{\"email\": \"\"}"),
                List.of(Field.email("email").blankAllowed(), Field.string("phone").optional()), false);
        assertThat(input.str("email")).isEmpty();
        assertThat(input.has("phone")).isFalse();
    }

    @Test
    void errorsAreCheapToThrow() {
        assertThatThrownBy(() -> Validator.validate(json("[]"), List.of(Field.string("a")), false))
                .isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    /** Expected texts are DRF 3.14's on Debian's Python 3.11. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"p\": \"\"}|{\"p\":[\"\\\"\\\" is not a valid choice.\"]}",
            "{\"p\": \"   \"}|{\"p\":[\"\\\"   \\\" is not a valid choice.\"]}",
            "{\"p\": true}|{\"p\":[\"\\\"True\\\" is not a valid choice.\"]}",
            "{\"p\": [\"a\"]}|{\"p\":[\"\\\"['a']\\\" is not a valid choice.\"]}",
            "{\"p\": {\"a\": 1}}|{\"p\":[\"\\\"{'a': 1}\\\" is not a valid choice.\"]}",
            "{\"p\": 12345}|{\"p\":[\"\\\"12345\\\" is not a valid choice.\"]}",
            "{\"p\": 1e5}|{\"p\":[\"\\\"100000.0\\\" is not a valid choice.\"]}",
            "{\"p\": [1.0, null, \"x'y\\\"z\"]}|{\"p\":[\"\\\"[1.0, None, 'x\\\\'y\\\"z']\\\" is not a valid choice.\"]}",
            "{\"p\": null}|{\"p\":[\"This field may not be null.\"]}",
            "{\"p\": \"b\"}|valid",
    })
    void choiceFieldsQuoteTheValueAsPythonPrintsIt(String body, String expected) throws Exception {
        assertThat(errorsOf(body, Field.choice("p", "a", "b"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"e\": true}|{\"e\":[\"Enter a valid email address.\"]}",
            "{\"e\": []}|{\"e\":[\"Enter a valid email address.\"]}",
            "{\"e\": {}}|{\"e\":[\"Enter a valid email address.\"]}",
            "{\"e\": 5}|{\"e\":[\"Enter a valid email address.\"]}",
            "{\"e\": \"a\\u0000@x.com\"}|{\"e\":[\"Null characters are not allowed.\",\"Enter a valid email address.\"]}",
            "{\"e\": \"aaaaaaaaaaaa@\"}|{\"e\":[\"Ensure this field has no more than 10 characters.\",\"Enter a valid email address.\"]}",
    })
    void emailFieldsSayEnterAValidEmailForNonStringsAndReportEveryValidator(String body, String expected) throws Exception {
        assertThat(errorsOf(body, Field.email("e").max(10))).isEqualTo(expected);
    }

    @Test
    void passwordsAreTakenAsSentUnlessTheirSerializerTrims() throws Exception {
        assertThat(Validator.validate(json("{\"p\": \"  pw  \"}"), List.of(Field.password("p")), false).str("p"))
                .isEqualTo("  pw  ");
        assertThat(Validator.validate(json("{\"p\": \"\\u00a0pw\\u3000\"}"), List.of(Field.password("p").trimmed()), false)
                .str("p")).as("Python's str.strip()").isEqualTo("pw");
        assertThat(errorsOf("{\"p\": \"   \"}", Field.password("p").trimmed()))
                .isEqualTo("{\"p\":[\"This field may not be blank.\"]}");
        assertThat(Validator.validate(json("{\"p\": 1e20}"), List.of(Field.password("p")), false).str("p"))
                .as("a number as Python's str() writes it").isEqualTo("1e+20");
    }

    @Test
    void operationsThatCollectFieldErrorsGetThemInTheInput() throws Exception {
        Input input = Validator.validate(json("{\"a\": \"\", \"c\": \"x\"}"),
                List.of(Field.string("a"), Field.string("b"), Field.string("c")), false, true);
        assertThat(input.errors()).containsExactly(
                java.util.Map.entry("a", List.of(Validator.NOT_BLANK)), java.util.Map.entry("b", List.of(Validator.REQUIRED)));
        assertThat(input.valid("c")).isTrue();
        assertThat(input.valid("a")).isFalse();
        assertThat(input.has("a")).isFalse();
        assertThat(input.str("c")).isEqualTo("x");
        assertThatThrownBy(() -> Validator.validate(json("[]"), List.of(Field.string("a")), false, true))
                .as("a body that is no object fails before any field").isInstanceOf(ApiError.class);
    }

    @Test
    void formsFollowDrfsHtmlInputRules() throws Exception {
        Input input = Validator.validate(json("{\"n\": \"\", \"o\": \"\"}"),
                List.of(Field.string("n").nullAllowed(), Field.string("o").optional(), Field.bool("b")), true);
        assertThat(input.has("n")).isTrue();
        assertThat(input.str("n")).isNull();
        assertThat(input.has("o")).as("empty and optional: absent").isFalse();
        assertThat(input.bool("b")).isFalse();
    }
}
