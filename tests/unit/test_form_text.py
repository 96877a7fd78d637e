import pytest

from forms.validation import Form, FormDataInvalid

FORM = Form("x", "X", [{"name": "naam", "label": "Naam", "type": "text", "required": True, "example": "A"}])


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_text_that_no_database_stores_faithfully_is_refused(text: str) -> None:
    with pytest.raises(FormDataInvalid) as refused:
        FORM.validate({"naam": text})
    assert list(refused.value.errors) == ["naam"]


def test_ordinary_text_with_accents_passes() -> None:
    assert FORM.validate({"naam": "Familie Çelik-Jansen"}) == {"naam": "Familie Çelik-Jansen"}
