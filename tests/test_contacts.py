"""A paper's contact details, read from its source as printed, with their spans; and the questions asking for them."""

from __future__ import annotations

import pytest

from rag.contacts import asks_contact, contacts_of
from rag.schema import Page, SourceFile

ARTICLE = """Shared leadership in wards

¹Department of Health, University of Leeds, Leeds, UK

Corresponding author:

Ann Smith, University of Leeds
Worsley Building, Leeds LS2 9NL, UK.

Email: a.smith@leeds.ac.uk

Introduction

The corresponding author wrote the first draft, and the others revised it.
Staff were asked to email or telephone the team.
"""

REPORT = """About the authors

Jo Bloggs is a fellow.

Published by

The Health Trust
12 High Street
London N1 1AA
Tel: 020 7000 0000
Fax: 020 7000 0001

Email:
books@healthtrust.org.uk

The Health Trust
12 High Street
London N1 1AA
Tel: 020 7000 0000
"""


def _source(text: str) -> SourceFile:
    return SourceFile(doc="a.txt", pages=(Page(number=None, text=text),), sha256="0")


def test_the_contact_details_a_paper_prints() -> None:
    """ "Corresponding author:" with the name and address it introduces and the email after them is one record; a
    sentence about the corresponding author, or asking staff to email, is none."""
    found = contacts_of(_source(ARTICLE))
    assert [c.text for c in found] == [
        "Corresponding author: Ann Smith, University of Leeds Worsley Building, Leeds LS2 9NL, UK. "
        "Email: a.smith@leeds.ac.uk"
    ]
    assert (found[0].page, ARTICLE[found[0].start : found[0].end].split()[:2]) == (None, ["Corresponding", "author:"])
    assert ARTICLE[found[0].start : found[0].end].endswith("a.smith@leeds.ac.uk")


def test_a_publishers_address_above_its_telephone_line_and_a_record_printed_twice() -> None:
    found = contacts_of(_source(REPORT))
    assert [c.text for c in found] == [
        "The Health Trust 12 High Street London N1 1AA Tel: 020 7000 0000 Fax: 020 7000 0001 "
        "Email: books@healthtrust.org.uk"
    ]
    assert REPORT[found[0].start : found[0].end].startswith("The Health Trust\n12 High Street")


def test_a_footnotes_mark_and_a_list_number_are_not_quoted() -> None:
    text = (
        "Title\n\n  1. Correspondence to Dr A Smith, Leeds LS2 9NL, UK; a.smith{at}leeds.ac.uk\n\nAbstract\n\n"
        "* Correspondence: b@x.org\n"
    )
    assert [c.text for c in contacts_of(_source(text))] == [
        "Correspondence to Dr A Smith, Leeds LS2 9NL, UK; a.smith{at}leeds.ac.uk",
        "Correspondence: b@x.org",
    ]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("who do i get in touch with at the king's fund about this report? phone, email, anything", True),
        ("how would i get in touch with the author of the value-based healthcare study - is there an email?", True),
        ("Who is the corresponding author of the Aufegger paper?", True),
        ("How can I contact the authors?", True),
        ("what's the publisher's phone number?", True),
        ("how do managers contact clinicians, according to Ng?", False),
        ("what do the papers say about email and meetings between partners?", False),
        ("were interviewees contacted by email or telephone?", False),
    ],
)
def test_a_question_asking_how_to_get_in_touch(question: str, asks: bool) -> None:
    assert asks_contact(question) is asks
