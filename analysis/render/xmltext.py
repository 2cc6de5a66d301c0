"""Text fit for XML 1.0: the characters its grammar refuses, removed before any XML writer sees them.

The workbook (xlsx is zipped XML), GEXF and GraphML are XML 1.0 documents. A name typed with a
control character (Excel writes U+0008 as ``_x0008_``) or a non-character such as U+FFFF makes
them not well-formed, and LibreOffice then shows part of a sheet without a word (issue 16, case
10). Every string written to XML goes through :func:`clean_xml_text`.

References
----------
W3C, *Extensible Markup Language (XML) 1.0*, 5th ed., 2008, §2.2 Characters (production [2] Char).
"""

import re

# Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; the rest is refused.
XML_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_xml_text(text: str) -> str:
    """Remove the characters XML 1.0 refuses; everything else (Thai included) is kept as it is.

    Examples
    --------
    >>> clean_xml_text("กองทุน\\x08สวัสดิการ\\uffff ฯ")
    'กองทุนสวัสดิการ ฯ'
    >>> clean_xml_text("line\\nbreak\\ttab")
    'line\\nbreak\\ttab'
    """
    return XML_ILLEGAL_RE.sub("", text)
