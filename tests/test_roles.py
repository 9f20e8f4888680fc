"""Roles that end and bodies that are headed: what the claims say, exactly."""

from tests.conftest import extract_text


def claims(text, *predicates):
    return sorted((c.subject, c.predicate, c.obj, c.modality) for c in extract_text(text).claims
                  if c.predicate in predicates)


def test_left_club_a_list_of_departures_each_with_its_club():
    got = claims('לאחר עזיבתו של מיכאל זנדברג את הפועל רמת גן ואלי לוי את הפועל כפר שלם, שתי הקבוצות מחפשות מאמן.',
                 "formerHeadCoachOf", "formerPlayerOf")
    assert ("michael-zandberg", "formerHeadCoachOf", "hapoel-ramat-gan", "Asserted") in got
    assert ("eli-levi", "formerHeadCoachOf", "hapoel-kfar-shalem", "Asserted") in got


def test_left_club_a_player_leaves_as_a_player_and_no_longer_plays_there():
    text = 'הקשר עומר אצילי עזב את בית"ר ירושלים בקיץ.'
    assert claims(text, "formerPlayerOf", "formerHeadCoachOf") == [
        ("omer-atzili", "formerPlayerOf", "beitar-jerusalem", "Asserted")]
    assert claims(text, "playsFor") == []


def test_left_club_a_coach_who_leaves_his_post_is_no_longer_its_coach():
    got = claims("דרמה במכבי חיפה: הקבוצה הודיעה היום כי המאמן אלי גוטמן עוזב את תפקידו.",
                 "headCoachOf", "formerHeadCoachOf")
    assert got == [("eli-gutman", "formerHeadCoachOf", "maccabi-haifa", "Asserted")]


def test_heads_body_elected_present_and_past():
    assert claims("שינו זוארץ נבחר היום ליושב ראש ההתאחדות לכדורגל.", "presidentOf") == [
        ("shino-zuaretz", "presidentOf", "israel-football-association", "Asserted")]
    assert claims("בשנים ההן מי שעמד בראשות בני יהודה היה איש העסקים ברק אברמוב.", "presidentOf") == [
        ("barak-abramov", "presidentOf", "bnei-yehuda", "Past")]
    assert claims('ברק אברמוב צפה במשחק של בית"ר ירושלים.', "presidentOf") == []


def test_squad_context_takes_the_catalogue_role_only_when_it_held_on_the_article_date():
    text = "מכבי תל אביב מתכוננת למשחק נגד בני יהודה. דור פרץ ערך אימון קל ויחזור להתאמן בשבת."
    assert ("dor-peretz", "playsFor", "maccabi-tel-aviv", "Asserted") in claims(" date 2025-11-01 " + text, "playsFor")
    # the catalogue has him at the club from 2024-25 only: a 2019 article's context proves nothing
    assert claims(" date 2019-03-01 " + text, "playsFor") == []
