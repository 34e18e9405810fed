"""The GB/T 9704-2012 《党政机关公文格式》 profile: every layout number, in one place.

Each constant names its clause (``§`` = clause of GB/T 9704-2012) or says ``[calc]`` (derived
from the standard) or ``[practice]`` (common office practice; a setting, not a rule).
Units are in the name: ``_MM``, ``_PT`` (1/72 in), ``_TWIPS`` (1/20 pt), ``_EIGHTHS`` (1/8 pt,
OOXML border widths), ``_HALF_PT`` (OOXML ``w:sz``). Writers convert with the helpers at the end;
no other module holds a layout number.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import datetime as dt

# ---------------------------------------------------------------- units
PT_PER_MM: Final = 72 / 25.4
TWIPS_PER_PT: Final = 20


def mm_to_pt(mm: float) -> float:
    return mm * PT_PER_MM


def pt_to_mm(pt: float) -> float:
    return pt / PT_PER_MM


def mm_to_twips(mm: float) -> int:
    return round(mm * PT_PER_MM * TWIPS_PER_PT)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


# ---------------------------------------------------------------- §5.2 paper, §5.2.2 版心
PAPER_WIDTH_MM: Final = 210.0  # §5.2.1 A4
PAPER_HEIGHT_MM: Final = 297.0
MARGIN_TOP_MM: Final = 37.0  # §5.2.2 天头 37 mm ± 1
MARGIN_LEFT_MM: Final = 28.0  # §5.2.2 订口 28 mm ± 1
TYPE_AREA_WIDTH_MM: Final = 156.0  # §5.2.2 版心 156 × 225 mm
TYPE_AREA_HEIGHT_MM: Final = 225.0
MARGIN_RIGHT_MM: Final = PAPER_WIDTH_MM - MARGIN_LEFT_MM - TYPE_AREA_WIDTH_MM  # [calc] 26 mm
MARGIN_BOTTOM_MM: Final = PAPER_HEIGHT_MM - MARGIN_TOP_MM - TYPE_AREA_HEIGHT_MM  # [calc] 35 mm
TYPE_AREA_WIDTH_PT: Final = mm_to_pt(TYPE_AREA_WIDTH_MM)  # [calc] 442.2 pt
TYPE_AREA_HEIGHT_PT: Final = mm_to_pt(TYPE_AREA_HEIGHT_MM)  # [calc] 637.8 pt

# ---------------------------------------------------------------- §5.2.3 grid
LINES_PER_PAGE: Final = 22  # §5.2.3 每面排 22 行
CHARS_PER_LINE: Final = 28  # §5.2.3 每行排 28 个字
# [calc] 225 mm / 22 = 28.97 pt; Word stores twips, 579 (28.95 pt) keeps 22 lines, 580 gives 21.
LINE_PITCH_TWIPS: Final = 579
LINE_PITCH_PT: Final = LINE_PITCH_TWIPS / TWIPS_PER_PT

# ---------------------------------------------------------------- §5.2.3 / §7 type sizes (字号 → pt)
SIZE_PT: Final = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
}
BODY_SIZE_PT: Final = SIZE_PT["三号"]  # §5.2.3 正文 3号 仿宋
# [calc] 156 mm / 28 = 15.79 pt per character for a 16 pt glyph: condense each character.
BODY_CHAR_PITCH_PT: Final = TYPE_AREA_WIDTH_PT / CHARS_PER_LINE
BODY_CHAR_SPACING_TWIPS: Final = -5  # [calc] OOXML w:spacing, −0.25 pt: 28 × 15.75 pt fit in 442.2 pt
BODY_LETTER_SPACING_PT: Final = BODY_CHAR_PITCH_PT - BODY_SIZE_PT  # [calc] CSS, −0.207 pt
# [practice] Word ("自动调整中文与西文/数字的间距", on by default) and LibreOffice (always) put extra
# space where Chinese meets Latin letters or digits; measured in LibreOffice: 3.45 pt at 16 pt.
AUTOSPACE_EM: Final = 0.215
# [practice] issue 10: a justified line is never spread by more than half a character per gap; a
# line that would be (an unbreakable 身份证号, URL or 文号 pushed to the next line) ends ragged.
JUSTIFY_MAX_GAP_EM: Final = 0.5

# ---------------------------------------------------------------- fonts (§7 names the faces)
# Roles → official family names kept in the DOCX (the user's Word shows the real fonts).
FONT_XIAOBIAOSONG: Final = "方正小标宋简体"  # §7.2.3 发文机关标志, §7.3.1 标题
FONT_FANGSONG: Final = "仿宋_GB2312"  # §5.2.3 正文, 发文字号, 主送…
FONT_KAITI: Final = "楷体_GB2312"  # §7.3.3 二级标题, 签发人姓名
FONT_HEITI: Final = "黑体"  # §7.3.3 一级标题, §7.3.4 附件 label, 密级/紧急程度
FONT_SONGTI: Final = "宋体"  # §7.5 页码
# Heading levels (§7.3.3): 一、 黑体 · （一） 楷体 · 1. 仿宋 · （1） 仿宋
HEADING_FONT: Final = {1: FONT_HEITI, 2: FONT_KAITI, 3: FONT_FANGSONG, 4: FONT_FANGSONG}
HEADING_BOLD: Final = {1: False, 2: False, 3: False, 4: False}  # [practice] some offices bold 1.
RED_RGB: Final = "FF0000"  # [practice] red on screen and in print

# ---------------------------------------------------------------- §7.2 版头
COPY_NUMBER_DIGITS: Final = 6  # §7.2.1 份号: 6 位阿拉伯数字, 顶格第一行
MARK_TOP_BELOW_TYPE_AREA_MM: Final = 35.0  # §7.2.4 标志上边缘至版心上边缘 35 mm
MARK_MAX_SIZE_PT: Final = SIZE_PT["初号"]  # [practice] 标志 typically 小初–初号
MARK_MIN_SIZE_PT: Final = SIZE_PT["小初"]  # below this the mark is condensed instead of shrunk
MARK_SUFFIX: Final = "文件"  # §7.2.4 机关全称或规范化简称 + "文件"
DOC_NUMBER_BLANK_LINES_BELOW_MARK: Final = 2  # §7.2.5 发文字号 标志下空二行
RED_RULE_BELOW_DOC_NUMBER_MM: Final = 4.0  # §7.2.7 发文字号之下 4 mm
RED_RULE_WIDTH_MM: Final = TYPE_AREA_WIDTH_MM  # §7.2.7 与版心等宽
RED_RULE_THICKNESS_EIGHTHS: Final = 12  # [practice] 1.5 pt (the standard fixes no thickness)
RED_RULE_THICKNESS_PT: Final = RED_RULE_THICKNESS_EIGHTHS / 8
# [practice] Word and LibreOffice seat the glyphs' em box this far (in em) above the bottom of an
# exact-height line (measured: 16 pt text in a 28.95 pt line ends 2.6 pt above the line's bottom).
EXACT_LINE_TEXT_BOTTOM_EM: Final = 0.16
# [practice] LibreOffice seats the baseline of an exact-height line this fraction of the line's height
# below its top (its ascent is fixed to 80 %); with the glyph box 0.8 em above and 0.2 em below the
# baseline this gives EXACT_LINE_TEXT_BOTTOM_EM for 16 pt in 28.95 pt (0.2 × 28.95 − 0.2 × 16 = 2.6 pt).
EXACT_LINE_BASELINE_FRACTION: Final = 0.8
SIGNER_LABEL: Final = "签发人："  # §7.2.6 上行文
SIGNER_INDENT_CHARS: Final = 1  # §7.2.6 签发人 居右空一字, 发文字号 居左空一字 (§7.2.5 上行文)
# §7.2.6 多个签发人: 一般每行排两个姓名, 回行时与上一行第一个签发人姓名对齐; §7.2.5 发文字号与最后一个
# 签发人姓名处在同一行. Names are spaced by one full-width space ("均匀编排", [practice]).
SIGNERS_PER_LINE: Final = 2
SIGNER_NAME_GAP: Final = "\u3000"

# ---------------------------------------------------------------- §7.3 主体
TITLE_SIZE_PT: Final = SIZE_PT["二号"]  # §7.3.1 2号 小标宋
TITLE_BLANK_LINES_BELOW_RULE: Final = 2  # §7.3.1 红色分隔线下空二行
TITLE_MAX_CHARS: Final = int(TYPE_AREA_WIDTH_PT // TITLE_SIZE_PT)  # [calc] 20 per line
RECIPIENT_BLANK_LINES_BELOW_TITLE: Final = 1  # §7.3.2 标题下空一行
BODY_INDENT_CHARS: Final = 2  # §7.3.3 每个自然段左空二字
ATTACHMENT_NOTE_BLANK_LINES: Final = 1  # §7.3.4 正文下空一行
ATTACHMENT_NOTE_LABEL: Final = "附件："
# §7.3.5.1 加盖印章: 成文日期右空四字, 署名以日期为准居中, 印章顶端距正文一行之内.
SEAL_DATE_RIGHT_INDENT_CHARS: Final = 4
SEAL_BLANK_LINES_ABOVE_SIGNATURE: Final = 2  # [calc] keeps a 42 mm seal's top within one line of the body
# §7.3.5.2 不加盖印章: 署名正文下空一行右空二字, 日期首字比署名首字右移二字.
NO_SEAL_BLANK_LINES_ABOVE_SIGNATURE: Final = 1
NO_SEAL_SIGNATURE_RIGHT_INDENT_CHARS: Final = 2
NO_SEAL_DATE_SHIFT_CHARS: Final = 2
NOTE_INDENT_CHARS: Final = 2  # §7.3.6 附注 居左空二字, 加圆括号
NOTE_BRACKETS: Final = ("（", "）")  # §7.3.6
# §7.3.5.1 联合行文加盖印章: 署名按发文机关顺序整齐排列, 印章一一对应下压署名, 最后一个印章下压署名和
# 成文日期, 印章互不相交或相切, 两端不超出版心. [practice] two organs to a row, the last organ's name
# centred over the date; rows SEAL_ROW_PITCH_LINES lines apart so 42 mm seals (5 lines = 51 mm) never touch.
JOINT_SEALS_PER_ROW: Final = 2
SEAL_DIAMETER_MM: Final = 42.0  # [practice] 党政机关 seal, the largest in common use
SEAL_ROW_PITCH_LINES: Final = 5
# [practice] 成文日期 left for the hand (成文日期: 手填) and the writing lines of a 签字栏
HAND_DATE_TEXT: Final = "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
WRITING_LINE_CHAR: Final = "_"  # half-width low line; a run of them is the line a signature goes on
SIGN_FIELD_DATE_TEXT: Final = "____年__月__日"
SIGN_FIELD_ROW_GAP_LINES: Final = 1  # [practice] a blank line between rows of 签字栏: room for the hand
SIGN_FIELD_MIN_WRITING_CHARS: Final = 2  # [practice] the writing line of a 签字栏 is at least 2 characters long
# §7.3.5.4 当公文排版后所剩空白处不能容下印章或签发人签名章、成文日期时，可以采取调整行距、字距的措施解决.
# [practice] a page's line pitch is narrowed at most to 24 lines in the 版心 (26.45 pt, two lines more
# than the grid) before lines of text are carried to the next page with the 署名 and 成文日期. A narrowed
# page ends SQUEEZED_SLACK_PT above the 版心's foot: LibreOffice places the 版头 and rounds every spacing
# to whole twips, and must find the same lines fit (measured: up to 0.6 pt lower).
SQUEEZED_MAX_LINES: Final = LINES_PER_PAGE + 2
SQUEEZED_SLACK_PT: Final = 2.0


def narrowed_pitch_twips(lines: int) -> int:
    """Line pitch (twips) that sets `lines` lines in the 版心, `SQUEEZED_SLACK_PT` to spare."""
    return int((TYPE_AREA_HEIGHT_PT - SQUEEZED_SLACK_PT) / lines * TWIPS_PER_PT)


SQUEEZED_LINE_PITCH_MIN_TWIPS: Final = narrowed_pitch_twips(SQUEEZED_MAX_LINES)
# [practice] when that is not enough, the blank lines of the page (under the title, above the 附件说明
# and the 署名) are narrowed further, to half a grid line at least.
SQUEEZED_BLANK_LINE_MIN_TWIPS: Final = LINE_PITCH_TWIPS // 2
# [practice] "调整字距": when narrowing the lines is not enough, paragraphs of the page whose last line
# is short are set with tighter character spacing, 29 then at most 30 characters to the line
# (−0.85 / −1.4 pt per character; 7 % tighter at most), each only when it then takes a line less;
# only paragraphs of full-width text (LibreOffice spaces Latin letters and digits otherwise, measured).
SQUEEZED_CHARS_PER_LINE: Final = (CHARS_PER_LINE + 1, CHARS_PER_LINE + 2)
# [practice] room left on a full line set closer: the layout measures lines as LibreOffice does to
# a few hundredths of a point (issue 17); Word measures a little otherwise
CHAR_SPACING_SPARE_PT: Final = 0.5
# [practice] when the 署名 must take lines of text to the next page after all, the page they leave
# keeps at most 2 empty lines at its foot: its line pitch is widened as far as needed, to 18 lines in
# the 版心 if it can (35.4 pt, 22 % wider: a line of text and 4 free lines left by an ending that needed 5).
SPREAD_EMPTY_LINES_MAX: Final = 2
SPREAD_LINE_PITCH_MAX_TWIPS: Final = int(TYPE_AREA_HEIGHT_PT / (LINES_PER_PAGE - 4) * TWIPS_PER_PT)
# [practice] §7.3.5.4 does not keep 调整行距 to one page. When carrying lines over would leave a page
# set wider than that (an ending several lines longer than the room a page of full lines has left),
# the pages before it are narrowed too, from the first paragraph begun on the page before it (then on
# the one before that: NARROWED_PAGES_BEFORE_MAX pages at most), to 23 then 24 lines in the 版心: lines
# flow back and the ending stays with text on its page. Only when that fails is the page left behind
# set wider than SPREAD_LINE_PITCH_MAX_TWIPS (2 empty lines at most all the same).
NARROWED_PAGES_BEFORE_MAX: Final = 2
NARROWED_LINES_PER_PAGE: Final = (LINES_PER_PAGE + 1, SQUEEZED_MAX_LINES)


def char_spacing_twips(chars_per_line: int) -> int:
    """OOXML w:spacing (twips, negative: condensed) that sets `chars_per_line` 3号 characters in the
    版心's width — a paragraph's first line too, indented two grid characters — with at least
    `CHAR_SPACING_SPARE_PT` to spare, so Word and LibreOffice break where the layout does; 28 gives
    `BODY_CHAR_SPACING_TWIPS`. The spacing stands between characters: LibreOffice leaves it off a
    line's last one (`layout.text.break_lines`)."""
    indent = BODY_INDENT_CHARS * BODY_CHAR_PITCH_PT
    chars = chars_per_line - BODY_INDENT_CHARS
    spacing = (TYPE_AREA_WIDTH_PT - CHAR_SPACING_SPARE_PT - indent - chars * BODY_SIZE_PT) / (chars - 1)
    return math.floor(spacing * TWIPS_PER_PT)
ATTACHMENT_LABEL: Final = "附件"  # §7.3.7 "附件"及顺序号 3号黑体 顶格第一行
ATTACHMENT_TITLE_LINE: Final = 3  # §7.3.7 附件标题居中编排在版心第三行

# ---------------------------------------------------------------- §7.4 版记
COLOPHON_SIZE_PT: Final = SIZE_PT["四号"]  # §7.4.1 4号仿宋
COLOPHON_OUTER_RULE_EIGHTHS: Final = 8  # §7.4.1 首条、末条 0.35 mm (= 0.99 pt)
COLOPHON_INNER_RULE_EIGHTHS: Final = 6  # §7.4.1 中间分隔线 0.25 mm (= 0.71 pt)
COLOPHON_OUTER_RULE_MM: Final = 0.35
COLOPHON_INNER_RULE_MM: Final = 0.25
COLOPHON_INDENT_CHARS: Final = 1  # §7.4.2 抄送 左右各空一字; §7.4.3 印发机关左空一字, 日期右空一字
COLOPHON_ROW_HEIGHT_MM: Final = 7.0  # [practice] one 4号 line with air
CC_LABEL: Final = "抄送："
PRINT_DATE_SUFFIX: Final = "印发"

# ---------------------------------------------------------------- §7.5 页码
PAGE_NUMBER_SIZE_PT: Final = SIZE_PT["四号"]  # §7.5 4号半角宋体阿拉伯数字
PAGE_NUMBER_DASH: Final = "—"  # §7.5 数字左右各放一条一字线 (U+2014)
PAGE_NUMBER_BELOW_TYPE_AREA_MM: Final = 7.0  # §7.5 一字线上距版心下边缘 7 mm
PAGE_NUMBER_INDENT_CHARS: Final = 1  # §7.5 单页码居右空一字, 双页码居左空一字


# [calc] OOXML places a footer by the distance of its bottom from the paper edge: the number's
# line (exact 14 pt) then starts 7 mm under the 版心.
PAGE_NUMBER_FOOTER_DISTANCE_MM: Final = (
    MARGIN_BOTTOM_MM - PAGE_NUMBER_BELOW_TYPE_AREA_MM - PAGE_NUMBER_SIZE_PT / PT_PER_MM
)


def page_number_text(n: int) -> str:
    """§7.5: ``— 1 —`` (em dashes, half-width digits, one space each side)."""
    return f"{PAGE_NUMBER_DASH} {n} {PAGE_NUMBER_DASH}"


# ---------------------------------------------------------------- §10 信函格式
LETTER_MARK_TOP_MM: Final = 30.0  # §10.1 标志上边缘距纸张上边缘 30 mm
LETTER_RULE_WIDTH_MM: Final = 170.0  # §10.1 双线长 170 mm, 居中
LETTER_TOP_RULE_BELOW_MARK_MM: Final = 4.0  # §10.1 标志下 4 mm 上粗下细
LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM: Final = 20.0  # §10.1 距下页边 20 mm 上细下粗
LETTER_THICK_RULE_EIGHTHS: Final = 18  # [practice] 2.25 pt
LETTER_THIN_RULE_EIGHTHS: Final = 6  # [practice] 0.75 pt
LETTER_RULE_GAP_PT: Final = 1.5  # [practice] space between the two lines of a double rule
LETTER_MARK_SIZE_PT: Final = SIZE_PT["小初"]  # [practice]
LETTER_TITLE_BLANK_LINES: Final = 2  # §10.1 标题与其上最后一个要素相距二行

# ---------------------------------------------------------------- §8 tables, 横排表格
TABLE_SIZE_PT: Final = SIZE_PT["四号"]  # [practice] 表格文字 4号 or smaller
TABLE_LINE_PITCH_PT: Final = 20.0  # [practice] exact line height in cells (28.95 pt blows rows up)
TABLE_CELL_MARGIN_PT: Final = 5.4  # [practice] Word's default left/right cell margin (0.19 cm)
TABLE_MIN_ROW_HEIGHT_MM: Final = 10.0  # [practice] blank form rows stay writable
TABLE_BORDER_EIGHTHS: Final = 4  # [practice] 0.5 pt single lines
TABLE_MIN_COLUMN_CHARS: Final = 2  # [practice] narrowest column: two characters of table text
TABLE_MAX_COLUMN_CHARS: Final = 12  # [practice] content wider than this wraps instead of widening
TABLE_HEADER_WORD_MAX_CHARS: Final = 4  # [practice] a header cell this short is one word ("序号"): never wrapped
# §8 横排表格: "单页码表头在订口一边，双页码表头在切口一边" — on odd and even pages alike the table's
# top lies along the portrait page's left edge, so the landscape page is the portrait page turned a
# quarter clockwise: portrait left (订口) → landscape top, portrait foot → landscape left, and the
# 版心 stays where the portrait page has it.
LANDSCAPE_MARGIN_TOP_MM: Final = MARGIN_LEFT_MM
LANDSCAPE_MARGIN_BOTTOM_MM: Final = MARGIN_RIGHT_MM
LANDSCAPE_MARGIN_LEFT_MM: Final = MARGIN_BOTTOM_MM
LANDSCAPE_MARGIN_RIGHT_MM: Final = MARGIN_TOP_MM
# [calc] the 版心 width a DOCX's lines are filled to: paper and margins each rounded to twips
# (portrait 11906 − 1587 − 1474 = 8845 twips, 0.045 pt wider than 156 mm); the layout breaks body
# lines at these widths, as Word and LibreOffice do
DOCX_LINE_WIDTH_PT: Final = (mm_to_twips(PAPER_WIDTH_MM) - mm_to_twips(MARGIN_LEFT_MM)
                             - mm_to_twips(MARGIN_RIGHT_MM)) / TWIPS_PER_PT
DOCX_LANDSCAPE_LINE_WIDTH_PT: Final = (mm_to_twips(PAPER_HEIGHT_MM) - mm_to_twips(LANDSCAPE_MARGIN_LEFT_MM)
                                       - mm_to_twips(LANDSCAPE_MARGIN_RIGHT_MM)) / TWIPS_PER_PT

# ---------------------------------------------------------------- 禁则 (line-breaking rules) [practice]
NO_LINE_START: Final = frozenset("。，、；：？！）》”’」』】〕…—．.,;:?!)%")
NO_LINE_END: Final = frozenset("（《“‘「『【〔([")

# ---------------------------------------------------------------- mail-merged letters [practice]
# 入学/劝返/责令 notices: A4, 公文 margins, 3号 仿宋; a 回执 slip under a dashed cut line, or a 送达回证 form.
# A letter is not a 公文: its lines need not sit on the 22-line grid. On that grid (28.95 pt) a 入学通知书
# with 咨询电话 and 8 所需材料 runs to 20 lines and its 回执 no longer fits on the same side; one sheet per
# child is the point of a tear-off slip (thousands are printed per school), so the letters set their own pitch.
LETTER_LINE_PITCH_PT: Final = 24.0  # [practice] 3号 at 1.5 × its size: 21 body lines + clearance + 回执 fit 225 mm
LETTER_LINE_PITCH_TWIPS: Final = round(LETTER_LINE_PITCH_PT * TWIPS_PER_PT)
LETTER_TEAR_OFF_SIZE_PT: Final = SIZE_PT["小四"]  # [practice] 回执 under the cut line: its sentence on one line
LETTER_TEAR_OFF_LINE_PITCH_PT: Final = 18.0  # [practice] exact pitch of the 回执's lines (1.5 × 小四)
LETTER_FILL_LINE_PITCH_PT: Final = 28.0  # [practice] a write-in line (签名、电话、日期): ≈ 10 mm to write by hand
LETTER_SLIP_SIZE_PT: Final = SIZE_PT["四号"]  # [practice] own-page 送达回证 form text 4号 仿宋 (title 4号 黑体)
LETTER_SLIP_LINE_PITCH_PT: Final = 20.0  # [practice] exact pitch of the form's lines
LETTER_CUT_DASH_PT: Final = 4.0  # [practice] dash length of the cut line
LETTER_CUT_DASH_GAP_PT: Final = 3.0  # [practice] gap between dashes
LETTER_RULE_PT: Final = 0.5  # [practice] thickness of the cut line and of the write-in underlines
LETTER_RULE_EIGHTHS: Final = 4  # [practice] the same 0.5 pt as an OOXML border width
LETTER_FILL_GAP_CHARS: Final = 1  # [practice] space between two write-in fields on one line
LETTER_SLIP_TABLE_ROW_LINES: Final = 1.5  # [practice] 送达回证 table rows: 1.5 slip lines, room to write by hand
LETTER_FORM_TABLE_ROW_LINES: Final = 2  # [practice] own-page 送达回证 form rows: two 3号 lines, room to sign
LETTER_SLIP_TABLE_LABEL_CHARS: Final = 6.5  # [practice] label column: 6 characters (送达文书名称) + cell padding
LETTER_SLIP_TABLE_PAD_CHARS: Final = 0.25  # [practice] text inset from a cell's left and right borders
LETTER_CUT_CLEARANCE_LINES: Final = 2  # [practice] 3号 lines kept clear between the 成文日期 line and the cut
# line, so the seal pressed on 署名/日期 (§7.3.5.1) never reaches the slip that is cut off and handed back
LETTER_CUT_CLEARANCE_PT: Final = LETTER_CUT_CLEARANCE_LINES * LINE_PITCH_PT
LETTER_CUT_CLEARANCE_TWIPS: Final = LETTER_CUT_CLEARANCE_LINES * LINE_PITCH_TWIPS
LETTER_FORM_TABLE_ROW_PT: Final = LETTER_FORM_TABLE_ROW_LINES * LINE_PITCH_PT
LETTER_FORM_TABLE_ROW_TWIPS: Final = LETTER_FORM_TABLE_ROW_LINES * LINE_PITCH_TWIPS
# [practice] the cut line above a tear-off 回执 is a line of its own (`layout.cut_mark`): a ✂ at its left
# end, dashes across the 版心, and the words typed on it (「请沿此线剪下」) centred in a gap of the dashes
LETTER_CUT_LINE_PITCH_PT: Final = 12.0  # [practice] exact height of the cut line: the ✂ (小四) fits, the
# dashes run through the middle of its words; a 公文's 回执 is 12 pt taller with it (its clearance still counted
# to the line's top), the letters' only 6 pt (`LETTER_CUT_ABOVE_DASHES_PT`)
LETTER_CUT_LINE_PITCH_TWIPS: Final = round(LETTER_CUT_LINE_PITCH_PT * TWIPS_PER_PT)
# [calc] the letters count their clearance to the dashes, which run through the middle of the cut line: its
# upper half stands in the clearance (the 入学通知书 with its 8 所需材料 and 回执 still fits one side)
LETTER_CUT_ABOVE_DASHES_PT: Final = LETTER_CUT_LINE_PITCH_PT / 2
LETTER_CUT_ABOVE_DASHES_TWIPS: Final = round(LETTER_CUT_ABOVE_DASHES_PT * TWIPS_PER_PT)
LETTER_CUT_TEXT_SIZE_PT: Final = SIZE_PT["小五"]  # [practice] the words on the cut line: smaller than the slip's
LETTER_CUT_TEXT_GAP_CHARS: Final = 1  # [practice] blank on each side of the words in the gap of the dashes, in
# characters of their size (a U+3000 in the DOCX)
LETTER_CUT_MARK: Final = "\u2702"  # [practice] ✂ at the left end of the cut line, the blades towards the line
LETTER_CUT_MARK_SIZE_PT: Final = SIZE_PT["小四"]  # [practice] the ✂'s size: the height of the cut line
LETTER_CUT_MARK_STROKE_EM: Final = 0.06  # [practice] stroke of the ✂ drawn as lines where no font has it
LETTER_CUT_BORDER_PT: Final = 6.0  # [practice] a 公文's 回执 ends this far above the 版心's foot: it was room for
# the DOCX cut line's dashed top border (0.5 pt, 1 pt above its text), which Word and LibreOffice add to the line
# (LibreOffice: the slip fitted from 5 pt on, not at 2 pt); the cut line is now a paragraph of its own without a
# border (`layout.cut_mark`), so this is only slack now

# ---------------------------------------------------------------- Excel registers (登记表) [practice]
# 问题线索移送登记表 as a workbook: A4 landscape, fitted to one page wide, header row on every page.
# Excel measures a column in "width units": the advance of "0" in the Normal font (Calibri 11 = 7 px).
XLSX_WIDTH_UNIT_PT: Final = 7 * 72 / 96  # [calc] 7 px at 96 dpi = 5.25 pt per width unit
XLSX_COLUMN_PADDING_UNITS: Final = 1.5  # [practice] air left and right of the text in a column
XLSX_COLUMN_MARGIN_UNITS: Final = 5 / 7  # Excel adds 5 px of cell margin to every column (7 px a unit)
XLSX_MIN_COLUMN_UNITS: Final = 5.0  # [practice] narrowest column (序号)
XLSX_MAX_COLUMN_UNITS: Final = 40.0  # [practice] wider text wraps instead of widening the column
XLSX_SHRUNK_COLUMN_UNITS: Final = 10.0  # [practice] a wrapping column is not narrowed below this
XLSX_MIN_PRINT_SCALE: Final = 0.75  # [practice] a wide table may print down to 75 % before columns narrow
XLSX_TITLE_SIZE_PT: Final = SIZE_PT["小二"]  # [practice] 登记表 title, 方正小标宋简体
XLSX_HEADER_SIZE_PT: Final = 11.0  # [practice] column headers, 黑体
XLSX_COUNT_TITLE_SIZE_PT: Final = SIZE_PT["四号"]  # [practice] title of a count (统计) sheet, 黑体
XLSX_BODY_SIZE_PT: Final = 11.0  # [practice] cells, 宋体 (Excel's default size)
XLSX_TITLE_ROW_HEIGHT_PT: Final = 36.0  # [practice]
XLSX_LINE_HEIGHT_FACTOR: Final = 1.35  # [practice] a wrapped line of text is 1.35 × the font size high
XLSX_ROW_PADDING_PT: Final = 6.0  # [practice] air above and below the lines of a cell
XLSX_MARGIN_SIDE_MM: Final = 15.0  # [practice] left/right print margins
XLSX_MARGIN_TOP_MM: Final = 15.0  # [practice] top/bottom print margins (the footer sits inside)
XLSX_MARGIN_BOTTOM_MM: Final = 20.0
XLSX_FOOTER_MM: Final = 8.0  # [practice] footer distance from the paper's bottom edge
XLSX_HEADER_FILL_RGB: Final = "F2F2F2"  # [practice] light grey behind the column headers
XLSX_DUPLICATE_FILL_RGB: Final = "FFF2CC"  # [practice] light yellow: a likely duplicate row
XLSX_OVERDUE_FILL_RGB: Final = "F8CBAD"  # [practice] light red: a row past its deadline
XLSX_PAGE_FOOTER: Final = "第 &P 页 共 &N 页"  # Excel header/footer codes: &P page, &N pages


def format_date(d: dt.date) -> str:
    """§7.3.5 成文日期: Arabic numerals, full year, no leading zeros — 2020年9月10日."""
    return f"{d.year}年{d.month}月{d.day}日"
