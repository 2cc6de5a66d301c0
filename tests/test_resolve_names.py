"""Titles set apart from names, and phonetic keys (analysis.resolve.names).

Expected parts are read off the names by a Thai reader: the title, the given name, the
surname. Soundex keys are checked as equalities, not as codes, because the user-visible
promise is "these spellings block together".
"""

import random

import pytest

from analysis.resolve.names import compute_phonetic_key, compute_russell_soundex, split_name


@pytest.mark.parametrize(
    "written, honorifics, first, last",
    [
        ("นายสมชาย ใจดี", ("นาย",), "สมชาย", "ใจดี"),
        ("นาย สมชาย ใจดี", ("นาย",), "สมชาย", "ใจดี"),
        ("นางสาวสมศรี ใจดี", ("นางสาว",), "สมศรี", "ใจดี"),
        ("น.ส.สมศรี ใจดี", ("น.ส.",), "สมศรี", "ใจดี"),
        ("นส. สมศรี ใจดี", ("นส.",), "สมศรี", "ใจดี"),
        ("คุณสมชาย ใจดี", ("คุณ",), "สมชาย", "ใจดี"),
        ("ผญบ.สมชาย ใจดี", ("ผญบ.",), "สมชาย", "ใจดี"),
        ("ผู้ใหญ่บ้านสมชาย ใจดี", ("ผู้ใหญ่บ้าน",), "สมชาย", "ใจดี"),
        ("กำนันสมชาย ใจดี", ("กำนัน",), "สมชาย", "ใจดี"),
        ("อ.สมศรี ใจดี", ("อ.",), "สมศรี", "ใจดี"),
        ("ผศ.ดร.สมศรี ใจดี", ("ผศ.ดร.",), "สมศรี", "ใจดี"),
        ("ว่าที่ ร.ต.สมชาย ใจดี", ("ว่าที่", "ร.ต."), "สมชาย", "ใจดี"),
        ("ว่าที่ร้อยตรีสมชาย ใจดี", ("ว่าที่", "ร้อยตรี"), "สมชาย", "ใจดี"),
        ("พ.ต.ท.สมชาย ใจดี", ("พ.ต.ท.",), "สมชาย", "ใจดี"),
        ("พระมหาสมชาย ฐิตธมฺโม", ("พระมหา",), "สมชาย", "ฐิตธมฺโม"),
        ("Mr. Somchai Jaidee", ("Mr",), "Somchai", "Jaidee"),
        ("Dr Somsri Jaidee", ("Dr",), "Somsri", "Jaidee"),
        # A surname of two words stays whole.
        ("นายสมชาย ณ อยุธยา", ("นาย",), "สมชาย", "ณ อยุธยา"),
        # A note in brackets is not part of the name.
        ("นายสมชาย ใจดี (ประธาน)", ("นาย",), "สมชาย", "ใจดี"),
    ],
)
def test_titles_are_set_apart_spaced_dotted_or_glued(written, honorifics, first, last):
    parts = split_name(written)
    assert (parts.honorifics, parts.first, parts.last) == (honorifics, first, last)


@pytest.mark.parametrize(
    "written",
    ["นายก อบต.บ้านนา", "นายกเทศมนตรีตำบลบ้านนา", "นายอำเภอวังน้ำเย็น", "นายกสมาคมชาวนา"],
)
def test_roles_that_start_like_a_title_are_not_split(written):
    assert split_name(written).honorifics == ()
    assert split_name(written).full == written


@pytest.mark.parametrize(
    "written, first",
    [
        ("นายกฤษณ์ ใจดี", "กฤษณ์"),  # Mr Krit, not the role นายก
        ("นายกมล สุขใจ", "กมล"),
        ("คุณากร ใจดี", "คุณากร"),  # a name starting with คุณ: ากร cannot start a syllable
        ("พระพาย ใจดี", "พระพาย"),  # a lay name starting with พระ: only "พระ " is a title
    ],
)
def test_names_that_start_like_a_title_keep_their_first_letters(written, first):
    assert split_name(written).first == first


def test_gender_comes_from_the_titles_only():
    assert split_name("นายสมชาย ใจดี").gender == "m"
    assert split_name("น.ส.สมศรี ใจดี").gender == "f"
    assert split_name("Mrs. Jane Doe").gender == "f"
    assert split_name("สมชาย ใจดี").gender == ""
    assert split_name("ดร.สมชาย ใจดี").gender == ""


def test_a_name_that_is_only_a_title_keeps_it_as_the_name():
    # Two records reading only "นาย" must not agree on an empty first name.
    parts = split_name("นาย")
    assert parts.first == "นาย" and parts.honorifics == ()


def test_a_single_word_is_a_first_name_without_surname():
    assert split_name("สมชาย") == split_name("สมชาย")
    assert (split_name("สมชาย").first, split_name("สมชาย").last) == ("สมชาย", "")


@pytest.mark.parametrize(
    "one, other",
    [
        ("ศรีสุข", "สรีสุข"),  # look-alike sibilants
        ("วงศ์ใหญ่", "วงค์ใหญ่"),  # a common spelling variant of surnames
        ("ทองมา", "ธองมา"),  # ท/ธ sound the same
        ("สมชาย", "สมชัย"),  # udom83 ignores the vowel length
    ],
)
def test_sound_alike_spellings_share_a_phonetic_key(one, other):
    assert compute_phonetic_key(one) == compute_phonetic_key(other)


def test_different_names_get_different_phonetic_keys():
    assert compute_phonetic_key("สมชาย") != compute_phonetic_key("บุญมา")
    assert compute_phonetic_key("") == ""


def test_thai_keys_are_pythainlp_udom83_codes():
    # Words udom83 rewrites (รร, ไ/ใ, ำ, ์) and words it codes as written, which the
    # resolver codes itself: a random mix of every Thai character, and real names.
    from pythainlp.soundex import soundex

    rng = random.Random(14)
    thai = [chr(c) for c in range(0x0E01, 0x0E5C)]
    words = ["สมชาย", "บุญมา", "กรรมการ", "ไชยา", "ใจดี", "คำมา", "วงศ์ใหญ่", "จันทร์", "ะ", "์"]
    # Each of udom83's rewriting patterns, in pythainlp's order: รร before เ-ไ, before two
    # consonants, before a consonant and a vowel, alone; ไ + consonant + ย, ไ/ใ; ำม + vowel,
    # ำม, ำ; the silent-letter clusters จน์ มณ์ ณฑ์ ทร์ ตร์, a consonant + ์, + vowel + ์.
    words += ["กรรไกร", "ธรรมดา", "บรรลุ", "สรร", "ไทย", "ใหม่", "ลำมะลิ", "ดำมืด", "ทำ",
              "ปัจจน์", "ภิรมณ์", "ขัณฑ์", "อินทร์", "ศาสตร์", "พงษ์", "ศักดิ์", "ไกรสรรค์", "กำไร"]
    words += ["".join(rng.choices(thai, k=rng.randint(1, 12))) for _ in range(20_000)]
    for word in words:
        assert compute_phonetic_key(word) == soundex(word.strip(), engine="udom83"), word


def test_latin_names_use_russell_soundex():
    # Values from the US National Archives' description of Soundex (2007).
    assert compute_russell_soundex("Robert") == "R163"
    assert compute_russell_soundex("Rupert") == "R163"
    assert compute_russell_soundex("Rubin") == "R150"
    assert compute_russell_soundex("Pfister") == "P236"
    assert compute_phonetic_key("Jaidee") == compute_phonetic_key("Jaydee")


def test_titles_real_rosters_use_are_stripped_and_tell_gender_only_when_they_do():
    # Issue 14's list: office, academic, medical, military and police ranks, monks, Latin.
    cases = {
        "ผญบ.จำเนียร คำสวัสดิ์": ("", "จำเนียร"),
        "ผู้ใหญ่จำเนียร คำสวัสดิ์": ("", "จำเนียร"),
        "กำนันจำเนียร คำสวัสดิ์": ("", "จำเนียร"),
        "อาจารย์ ดร.สมชาย ใจดี": ("", "สมชาย"),
        "อ.สมศรี ใจดี": ("", "สมศรี"),
        "ผศ.ดร. สมศรี ใจดี": ("", "สมศรี"),
        "รศ.สมศรี ใจดี": ("", "สมศรี"),
        "ศ.สมศรี ใจดี": ("", "สมศรี"),
        "นพ.สมชาย ใจดี": ("m", "สมชาย"),
        "พญ.สมศรี ใจดี": ("f", "สมศรี"),
        "ว่าที่ ร.ต.สมชาย ใจดี": ("", "สมชาย"),
        "พ.ต.ท.สมชาย ใจดี": ("", "สมชาย"),
        "พันตำรวจโทสมชาย ใจดี": ("", "สมชาย"),
        "จ่าสิบเอกสมชาย ใจดี": ("", "สมชาย"),
        "พระอาจารย์สมชาย ใจดี": ("m", "สมชาย"),
        "คุณธนพ นิลประเสริฐวัฒน์": ("", "ธนพ"),
        "Mr.สำราญ กองคำ": ("m", "สำราญ"),
        "Mrs. สมศรี ใจดี": ("f", "สมศรี"),
        "Ms สมศรี ใจดี": ("f", "สมศรี"),
        "Miss สมศรี ใจดี": ("f", "สมศรี"),
    }
    for written, (gender, first) in cases.items():
        parts = split_name(written)
        assert (parts.gender, parts.first) == (gender, first), written
        assert parts.honorifics, written
