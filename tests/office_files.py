"""The four files a tambon office really has (issue 15's description), made small enough to
check by hand: a council roster workbook, a welfare-fund CSV from Thai Windows Excel, a
district project list from another agency, and a forum attendance sheet.

Who is who (what a correct run finds):
- นายสมชาย ใจดี (081-234-5678) is on the council roster (หมู่ 1, ประธาน), the welfare fund
  committee, the project list (responsible person) and the forum: one person.
- นายบุญมี ศรีสุข is on the roster (ต.คลองหินปูน, 082-222-2222) and the fund
  (ต.ทุ่งมหาเจริญ, 089-111-1111): namesakes, two persons.
- นายประเสริฐ and นางประภา วงศ์ดี share one phone on the roster: spouses, two persons.
- Projects 1 and 2 pursue one aim (care for the elderly) in ต.คลองหินปูน, overlap in time
  and have different funders: duplicates. Project 3 works in the whole district.
"""

from pathlib import Path

from openpyxl import Workbook

ROSTER_FILE = "ทะเบียนสภาองค์กรชุมชนตำบลคลองหินปูน.xlsx"
FUND_FILE = "กองทุนสวัสดิการ.csv"
PROJECTS_FILE = "โครงการอำเภอวังน้ำเย็น.xlsx"
FORUM_FILE = "ลงทะเบียนเวทีประชาคม.xlsx"

ROSTER_HEADER = ["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "ตำแหน่ง", "บ้านเลขที่", "หมู่ที่", "ตำบล", "อำเภอ",
                 "จังหวัด", "เบอร์โทรศัพท์", "หมายเหตุ"]
PLACE = ["คลองหินปูน", "วังน้ำเย็น", "สระแก้ว"]
#: Village sheets: (honorific, first name, surname, role, house no., phone as Excel stores it).
VILLAGES = {
    "หมู่ 1": [("นาย", "สมชาย", "ใจดี", "ประธาน", "12", 812345678),
               ("นาง", "สมศรี", "มีสุข", "กรรมการ", "14", 856667777)],
    "หมู่ 2": [("นาย", "บุญมี", "ศรีสุข", "รองประธาน", "3", 822222222),
               ("นาย", "ประเสริฐ", "วงศ์ดี", "เลขานุการ", "7", 833334444)],
    "หมู่ 3": [("นาง", "ประภา", "วงศ์ดี", "เหรัญญิก", "7", 833334444),
               ("นาย", "วิชัย", "แสงทอง", "กรรมการ", "21", 844445555)],
}
N_ROSTER_LINES = 6
#: Pre-printed numbered rows left blank under the last name, then the signature block.
BLANK_NUMBERED = 2

FUND_LINES = [
    "คณะกรรมการกองทุนสวัสดิการชุมชนตำบลคลองหินปูน ปี 2567,,,,,",
    "ลำดับ,ชื่อ-สกุล,ตำแหน่ง,เลขประจำตัวประชาชน,ที่อยู่,เบอร์โทร",
    # 3270600234561: weights 13..2 give 264 ≡ 0 (mod 11), so the check digit is 1.
    "1,นายสมชาย ใจดี,ประธานกองทุน,3-2706-00234-56-1,12 ม.1 ต.คลองหินปูน อ.วังน้ำเย็น จ.สระแก้ว,081-234-5678",
    "2,นายบุญมี ศรีสุข,กรรมการ,3.27060E+12,45 ม.3 ต.ทุ่งมหาเจริญ อ.วังน้ำเย็น จ.สระแก้ว,089-111-1111",
    "3,นางสมศรี มีสุข,เหรัญญิก,,14 ม.1 ต.คลองหินปูน อ.วังน้ำเย็น จ.สระแก้ว,085-666-7777",
]

PROJECT_HEADER = ["ลำดับ", "ชื่อโครงการ", "หน่วยงานที่รับผิดชอบ", "พื้นที่ดำเนินการ", "ระยะเวลา", "งบประมาณ",
                  "แหล่งงบประมาณ", "ผู้รับผิดชอบโครงการ"]
PROJECTS = [
    [1, "โครงการดูแลสุขภาพผู้สูงอายุตำบลคลองหินปูน", "อบต.คลองหินปูน", "ต.คลองหินปูน อ.วังน้ำเย็น",
     "1 ต.ค. 66 - 30 ก.ย. 67", "150,000 บาท", "สปสช.", "นายสมชาย ใจดี 081-2345678"],
    [2, "โครงการส่งเสริมสุขภาพผู้สูงอายุ ต.คลองหินปูน", "รพ.สต.บ้านคลองหินปูน", "ต.คลองหินปูน อ.วังน้ำเย็น",
     "ม.ค. - ก.ย. 2567", "120,000 บาท", "สสส.", "นางสาวพรทิพย์ สุขใจ 086-555-1234"],
    [3, "โครงการบ้านมั่นคงชนบท", "พมจ.สระแก้ว", "อ.วังน้ำเย็น (ทุกตำบล)", "ปีงบประมาณ 2567", "1.2 ล้านบาท",
     "พอช.", "นายวิชัย แสงทอง 084-444-5555"],
]

FORUM_HEADER = ["ลำดับ", "ชื่อ-สกุล", "หน่วยงาน/องค์กร", "เบอร์โทร", "ลายมือชื่อ"]
FORUM = [
    [1, "นายสมชาย ใจดี", "สภาองค์กรชุมชนตำบลคลองหินปูน", "081-234-5678", None],
    [2, "นางสมศรี มีสุข", "กองทุนสวัสดิการฯ", "085-666-7777", None],
    [3, "นางมาลี ดีงาม", "อสม. ม.4", "087-777-8888", None],
    [4, "นายวิชัย แสงทอง", "อบต.คลองหินปูน", "084-444-5555", None],
    [5, "นายสมปอง ทองดี", "กลุ่มฯ", "088-123-4567", None],
]


def write_office_folder(folder: Path) -> Path:
    """The four files, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    write_roster(folder / ROSTER_FILE)
    (folder / FUND_FILE).write_bytes(("\r\n".join(FUND_LINES) + "\r\n").encode("cp874"))
    write_projects(folder / PROJECTS_FILE)
    write_forum(folder / FORUM_FILE)
    return folder


def write_roster(path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for village, people in VILLAGES.items():
        sheet = book.create_sheet(village)
        sheet.append(["ทะเบียนรายชื่อสมาชิกสภาองค์กรชุมชนตำบลคลองหินปูน"])
        sheet.append([f"{village} อำเภอวังน้ำเย็น จังหวัดสระแก้ว"])
        sheet.merge_cells("A1:L1")
        sheet.merge_cells("A2:L2")
        sheet.append(ROSTER_HEADER)
        moo = village.split()[1]
        for n, (honorific, first, last, role, house, phone) in enumerate(people, start=1):
            sheet.append([n, honorific, first, last, role, house, int(moo), *PLACE, phone, None])
        for n in range(len(people) + 1, len(people) + 1 + BLANK_NUMBERED):
            sheet.append([n])
        sheet.append([])
        sheet.append([None, "ลงชื่อ..............................ผู้รับรอง"])
        sheet.append([None, "(นายสมชาย ใจดี)"])
        sheet.append([None, "ประธานสภาองค์กรชุมชนตำบลคลองหินปูน"])
    book.save(path)


def write_projects(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "โครงการ"
    sheet.append(["บัญชีโครงการพัฒนาในพื้นที่อำเภอวังน้ำเย็น ปีงบประมาณ 2567"])
    sheet.append(["ข้อมูล ณ วันที่ 30 กันยายน 2567"])
    sheet.append(PROJECT_HEADER)
    for row in PROJECTS:
        sheet.append(row)
    sheet.append([None, "รวม", None, None, None, "1,470,000 บาท"])
    book.save(path)


def write_forum(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "ลงทะเบียน"
    sheet.append(["รายชื่อผู้เข้าร่วมเวทีประชาคมตำบลคลองหินปูน วันที่ 15 มีนาคม 2567"])
    sheet.append(FORUM_HEADER)
    for row in FORUM:
        sheet.append(row)
    book.save(path)
