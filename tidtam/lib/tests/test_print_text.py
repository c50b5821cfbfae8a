"""Thai text set for print: SARA AM written apart, words kept whole, Thai digits."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tidtam.lib.templatetags.thai import keep_words_whole_in
from tidtam.lib.thai import fold_thai, spell_sara_am_apart, thai_words_split_by_lines


def test_sara_am_is_written_as_nikhahit_and_sara_aa_before_the_tone_mark():
    assert spell_sara_am_apart("กำลัง") == "ก\u0e4d\u0e32ลัง"
    # The tone mark stays on the consonant, above the NIKHAHIT: HarfBuzz's own order.
    assert spell_sara_am_apart("น้ำท่วม") == "น\u0e4d\u0e49\u0e32ท่วม"
    assert spell_sara_am_apart("ต่ำ ซ้ำ") == "ต\u0e4d\u0e48\u0e32 ซ\u0e4d\u0e49\u0e32"
    assert spell_sara_am_apart("ฟ้า Road 2568") == "ฟ้า Road 2568"


@given(st.text(alphabet="กขคนทตซ่้๊๋ำาัี ", max_size=30))
def test_sara_am_written_apart_folds_back_to_what_was_typed(text: str) -> None:
    typed = fold_thai(text)
    assert fold_thai(spell_sara_am_apart(typed)) == typed


def test_a_word_libthai_would_break_is_kept_on_one_line():
    text = "งบประมาณกรุงเทพมหานคร ทดสอบ"
    spans = thai_words_split_by_lines(text)
    assert [text[a:b] for a, b in spans] == ["กรุงเทพมหานคร"]
    # Words that both dictionaries end in the same place need nothing.
    assert thai_words_split_by_lines("ประชุม ทดสอบ Road") == []


def test_whole_words_wraps_text_only_never_markup_titles_or_svg():
    html = (
        '<p title="กรุงเทพมหานคร">งบประมาณกรุงเทพมหานคร &amp; 5</p>'
        "<title>กรุงเทพมหานคร</title><svg><desc>กรุงเทพมหานคร</desc></svg>"
    )
    assert keep_words_whole_in(html) == (
        '<p title="กรุงเทพมหานคร">งบประมาณ\u200b<span class="word">กรุงเทพมหานคร</span>'
        " &amp; 5</p><title>กรุงเทพมหานคร</title><svg><desc>กรุงเทพมหานคร</desc></svg>"
    )


def test_thai_digits_change_text_never_tags_attributes_or_references():
    template = Template(
        "{% load thai %}{% digits on %}"
        '<a href="/projects/03000000-2457/" data-n="5">ปี 2563 &#39;12&#39;</a>{% enddigits %}'
    )
    with translation.override("th"):
        assert template.render(Context({"on": True})) == (
            '<a href="/projects/03000000-2457/" data-n="5">ปี ๒๕๖๓ &#39;๑๒&#39;</a>'
        )
        assert "2563" in template.render(Context({"on": False}))
    with translation.override("en"):
        assert "2563" in template.render(Context({"on": True}))


def test_words_are_kept_whole_as_pango_breaks_the_pdfs_spelling_of_sara_am():
    # Written apart, "สำนัก" is broken by libthai after its SARA AA ("สํา|นัก").
    text = "ให้ส่วนราชการในสำนักยุทธศาสตร์"
    assert "สำนัก" in [text[a:b] for a, b in thai_words_split_by_lines(text)]
