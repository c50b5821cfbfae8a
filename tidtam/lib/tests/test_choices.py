from __future__ import annotations

from django.template import Context, Template

from tidtam.lib.language import named


def rendered(pairs: object, selected: object) -> str:
    template = Template("{% load choices %}{% options pairs selected %}")
    return template.render(Context({"pairs": pairs, "selected": selected}))


def test_options_mark_the_value_chosen_compared_as_text() -> None:
    pairs = [("1", "กลุ่มกรุงเทพกลาง"), ("2", "กลุ่มกรุงเทพใต้")]
    assert rendered(pairs, 2) == (
        '<option value="1">กลุ่มกรุงเทพกลาง</option><option value="2" selected>กลุ่มกรุงเทพใต้</option>'
    )
    assert " selected" not in rendered(pairs, None)
    assert " selected" not in rendered(pairs, "")


def test_options_mark_each_of_several_values_chosen() -> None:
    pairs = [("behind", "Behind plan"), ("critical", "Critical"), ("on_track", "On track")]
    assert rendered(pairs, ("behind", "critical")).count(" selected") == 2
    assert '<option value="on_track">' in rendered(pairs, ["behind"])


def test_options_escape_values_and_labels() -> None:
    html = rendered([('"><script>', "<b>ฝ่าย & งาน</b>")], None)
    assert html == (
        '<option value="&quot;&gt;&lt;script&gt;">&lt;b&gt;ฝ่าย &amp; งาน&lt;/b&gt;</option>'
    )


def test_a_name_is_english_only_when_read_in_english_and_there_is_one() -> None:
    assert named("สำนักการโยธา", "Public Works Department", "en") == "Public Works Department"
    assert named("สำนักการโยธา", "Public Works Department", "th") == "สำนักการโยธา"
    assert named("สำนักการโยธา", "", "en") == "สำนักการโยธา"
