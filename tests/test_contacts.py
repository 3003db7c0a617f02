"""A paper's contact details, read from its source as printed, with their spans; and the questions asking for them."""

from __future__ import annotations

import pytest

from rag.contacts import Contact, asks_contact, asks_rights, contacts_of, rights_of
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


def test_a_label_alone_on_its_line_opens_the_name_and_email_under_it() -> None:
    """PeerJ's sidebar: "Corresponding author" | "Mary J. O'Connell," | "m.oconnell@leeds.ac.uk" | "Academic editor"
    | ...: the label, the name and the email are one record, which ends at the email."""
    text = (
        "Corresponding author\nMary J. O'Connell,\nm.oconnell@leeds.ac.uk\nAcademic editor\nJames Procter\n"
        "DOI 10.7717/peerj-cs.118\n"
    )
    assert [c.text for c in contacts_of(_source(text))] == [
        "Corresponding author Mary J. O'Connell, m.oconnell@leeds.ac.uk"
    ]


def test_an_account_on_a_social_network_is_a_contact() -> None:
    """ "Twitter Justin Waring @dr_waring" closes the STP paper: "is justin waring on twitter?" was refused, and the
    paper said to print no contact details; a table's row on Twitter data is none."""
    text = (
        "Conclusions\n\nClinical leaders matter.\n\nTwitter Justin Waring @dr_waring\n\nReferences\n\n"
        "www.kingsfund.org.uk  [@thekingsfund](https://twitter.com/thekingsfund)\n\n"
        "Twitter lists (TL)\tdirected\t23370\t33101\n\nWe followed 200 accounts on Twitter for a month.\n"
    )
    assert [c.text for c in contacts_of(_source(text))] == [
        "Twitter Justin Waring @dr_waring",
        "www.kingsfund.org.uk [@thekingsfund](https://twitter.com/thekingsfund)",
    ]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("who do i get in touch with at the king's fund about this report? phone, email, anything", True),
        ("is justin waring on twitter? the STP paper might list a handle", True),
        ("does the King's Fund have a LinkedIn page?", True),
        ("what do the papers say about social media?", False),
        ("how do leaders handle conflict?", False),
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


def test_the_rights_notices_a_paper_prints() -> None:
    """ "©" lines and a reuse or licence statement, each to the end of its block; a link's label is none."""
    text = (
        "Title\n\n© The Author(s) 2022\n\nRequest Permissions\n\nAll rights reserved, including the\nright of "
        "reproduction in whole or\nin part in any form\n\nWe reused the interview guide.\n"
    )
    found = rights_of(_source(text))
    assert [(c.kind, c.text) for c in found] == [
        ("rights", "© The Author(s) 2022"),
        ("rights", "All rights reserved, including the right of reproduction in whole or in part in any form"),
    ]
    assert text[found[1].start : found[1].end].endswith("in part in any form")
    assert Contact.from_dict({"text": "x", "page": None, "start": 0, "end": 1}).kind == "contact"  # (older index)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what does each one say about copyright or getting permission to reuse it?", True),
        ("Can I reproduce the King's Fund report's figures in my slides?", True),
        ("what licence is the ALCE paper under?", True),
        ("can i copy its tables into a handout?", True),
        ("how do clinicians reuse data across trusts?", False),
        ("did the study reproduce earlier findings?", False),
    ],
)
def test_a_question_asking_who_holds_the_rights(question: str, asks: bool) -> None:
    assert asks_rights(question) is asks
