import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from units.credit_code import ALPHABET, check_character, make_credit_code, validate_credit_code

# Published codes of real organisations (check characters computed by their registries).
REAL_CODES = ["91110000802100433B", "91440300708461136T", "9133000014306073XD"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_credit_code(code)


def error_code(code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    return caught.value.code, caught.value.messages[0]


def test_wrong_check_character_names_the_expected_one():
    kind, message = error_code("91110000802100433C")
    assert kind == "check_character"
    assert "末位应为 B" in message


@pytest.mark.parametrize("code", ["9111000080210043", "91110000802100433BX", ""])
def test_wrong_length_says_how_long_it_is(code):
    kind, message = error_code(code)
    assert kind == "length"
    assert str(len(code)) in message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_named(letter):
    code = "91110000802100433" + letter
    kind, message = error_code(code)
    assert kind == "forbidden_letter"
    assert letter in message


def test_lower_case_is_refused_by_the_validator_but_forgiven_by_forms():
    from units.forms import CreditCodeField

    kind, _message = error_code("91440300708461136t")
    assert kind == "lowercase"
    assert CreditCodeField().clean(" 91440300708461136t ") == "91440300708461136T"


def test_division_code_must_be_digits():
    first17 = "91AB0000802100433"
    kind, _message = error_code(first17 + check_character(first17))
    assert kind == "division"


@given(st.integers(min_value=0, max_value=31**9 - 1))
def test_generated_codes_validate(serial):
    validate_credit_code(make_credit_code(serial))


@given(
    st.integers(min_value=0, max_value=31**9 - 1),
    st.integers(min_value=0, max_value=16),
    st.sampled_from(ALPHABET),
)
def test_any_single_character_change_is_caught(serial, position, replacement):
    code = make_credit_code(serial)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code and changed[2:8].isdigit():
        with pytest.raises(ValidationError):
            validate_credit_code(changed)
