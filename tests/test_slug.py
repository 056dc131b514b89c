"""Slugs: ids stay ASCII; a person's file name keeps their name recognisable in any script."""

from __future__ import annotations

import unicodedata

import pytest

from briefpack.content.slug import is_slug, name_slug, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Νικόλαος Παπαδόπουλος", "νικόλαος-παπαδόπουλος"),
        ("ΣΩΚΡΑΤΗΣ ΣΑΣ", "σωκρατης-σας"),  # lower-cased whole: the last sigma is final
        ("Анна Каренина", "анна-каренина"),
        ("山田 太郎", "山田-太郎"),
        ("ガッツ石松", "ガッツ石松"),
        ("김민준", "김민준"),
        ("José Ñúñez", "jose-nunez"),  # accented Latin folds, as it always did
        ("Zoë Brontë-Łukasiewicz", "zoe-bronte-lukasiewicz"),
        ("Dr. Ana-María Núñez (CFO)", "dr-ana-maria-nunez-cfo"),
        ("Björn Ødegård", "bjorn-odegard"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
    ],
)
def test_a_person_s_file_name_keeps_their_name_recognisable(name: str, slug: str) -> None:
    assert name_slug(name) == slug
    assert unicodedata.is_normalized("NFC", name_slug(name))


def test_a_name_slug_is_the_same_whatever_normal_form_the_name_was_typed_in() -> None:
    name = "Ζωή Ελευθερίου"
    assert name_slug(unicodedata.normalize("NFD", name)) == name_slug(name) == "ζωή-ελευθερίου"


def test_names_in_different_scripts_get_different_file_names() -> None:
    names = ["Νικόλαος Παπαδόπουλος", "Ελένη Γεωργίου", "Анна Каренина", "山田 太郎", "佐藤 花子"]
    assert len({name_slug(name) for name in names}) == len(names)
    assert all(name_slug(name) for name in names)


def test_a_name_slug_holds_nothing_a_file_system_refuses() -> None:
    slug = name_slug('A/B\\C:D*E?F"G<H>I|J\x00K')
    assert slug == "a-b-c-d-e-f-g-h-i-j-k"


def test_a_name_with_no_letter_or_digit_has_no_slug() -> None:
    assert name_slug("😀 · —") == ""


def test_a_long_name_is_cut_at_a_word() -> None:
    slug = name_slug(" ".join(["Παπαδόπουλος"] * 10))
    assert len(slug) <= 64
    assert slug.endswith("παπαδόπουλος")


def test_ids_stay_ascii() -> None:
    assert slugify("Νικόλαος Παπαδόπουλος") == ""
    assert is_slug(slugify("José Ñúñez"))
