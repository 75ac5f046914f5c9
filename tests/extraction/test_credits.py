"""split_credit: where a caption's own text ends and its credit begins, in the forms sites print them."""

from __future__ import annotations

import pytest

from crawler.extraction import split_credit


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # copyright sign or "(c)", glued on or separated
        (
            "Nordkoreas Machthaber Kim Jong Un führte im Kosmodrom Wostotschny Gespräche mit Russlands "
            "Präsident Wladimir Putin © STR / KCNA VIA KNS/AFP",
            (
                "Nordkoreas Machthaber Kim Jong Un führte im Kosmodrom Wostotschny Gespräche mit Russlands "
                "Präsident Wladimir Putin",
                "© STR / KCNA VIA KNS/AFP",
            ),
        ),
        ("Kim in Moskau. © dpa", ("Kim in Moskau.", "© dpa")),
        ("Kim in Moskau (c) dpa", ("Kim in Moskau", "(c) dpa")),
        ("Kim in Moskau | © picture alliance/dpa", ("Kim in Moskau", "© picture alliance/dpa")),
        ("Der Hafen von Wladiwostok. Copyright: Reuters", ("Der Hafen von Wladiwostok.", "Copyright: Reuters")),
        # labels
        ("Kim in Moskau. Foto: Mikhail Metzel/dpa", ("Kim in Moskau.", "Foto: Mikhail Metzel/dpa")),
        ("Kim in Moscow. Photo: Reuters", ("Kim in Moscow.", "Photo: Reuters")),
        ("Kim in Moskau. Bild: Screenshot/Telegram", ("Kim in Moskau.", "Bild: Screenshot/Telegram")),
        ("Kim in Moscow. Credit: AFP", ("Kim in Moscow.", "Credit: AFP")),
        (
            "Kim Jong Un in Moscow. Photograph: Alexander Zemlianichenko/AP",
            ("Kim Jong Un in Moscow.", "Photograph: Alexander Zemlianichenko/AP"),
        ),
        ("Kim in Moscow. Image: Getty", ("Kim in Moscow.", "Image: Getty")),
        ("Kim à Moscou. Crédit photo : AFP", ("Kim à Moscou.", "Crédit photo : AFP")),
        ("Foto: dpa", ("", "Foto: dpa")),
        # bracketed credits lose their brackets
        ("Kim in Moskau (AFP)", ("Kim in Moskau", "AFP")),
        # a caption that is only a bracketed credit, but not the kind of picture
        ("(The Harbour Herald)", ("", "The Harbour Herald")),
        ("(Archivbild)", ("(Archivbild)", None)),
        ("Kim in Moskau (Foto: dpa)", ("Kim in Moskau", "Foto: dpa")),
        ("Le président à Moscou (Photo : AFP).", ("Le président à Moscou", "Photo : AFP")),
        # agency/photographer slash credits
        ("Kim in Moscow. REUTERS/Evelyn Hockstein", ("Kim in Moscow.", "REUTERS/Evelyn Hockstein")),
        ("Kim meets Putin. AFP/Getty Images", ("Kim meets Putin.", "AFP/Getty Images")),
        ("Kim meets Putin Jim Watson/AFP via Getty Images", ("Kim meets Putin", "Jim Watson/AFP via Getty Images")),
        ("Kim in Moskau Evelyn Hockstein/REUTERS", ("Kim in Moskau", "Evelyn Hockstein/REUTERS")),
        # trailing agency names
        ("Kim in Moskau. dpa", ("Kim in Moskau.", "dpa")),
        ("Kim in Moskau | dpa", ("Kim in Moskau", "dpa")),
        ("Kim in Moskau dpa", ("Kim in Moskau", "dpa")),
        ("Kim in Moskau - AFP", ("Kim in Moskau", "AFP")),
        # bracketed after the sentence without a marker, slash groups of unlisted papers, glued agencies
        (
            "Epstein's island is for sale. (Bespoke Real Estate)",
            ("Epstein's island is for sale.", "Bespoke Real Estate"),
        ),
        ("Sinwar at a rally. (Mohamed El Saife/CBC)", ("Sinwar at a rally.", "Mohamed El Saife/CBC")),
        (
            "Nina Chuba beim Auftritt. Lichtgut/Christoph Schmidt",
            ("Nina Chuba beim Auftritt.", "Lichtgut/Christoph Schmidt"),
        ),
        ("Trump in court. AP Photo/Eric Gay, File", ("Trump in court.", "AP Photo/Eric Gay, File")),
        ("Verstappen en Losail.EFE", ("Verstappen en Losail.", "EFE")),
        # labels in more languages and scripts
        ("Bệnh nhân nội soi. Ảnh: Bệnh viện cung cấp", ("Bệnh nhân nội soi.", "Ảnh: Bệnh viện cung cấp")),
        ("Rejoice Ndlovu. Isithombe: Sithunyelwe", ("Rejoice Ndlovu.", "Isithombe: Sithunyelwe")),
        ("Jaishankar in Brüssel | Bildquelle: EU-Kommission", ("Jaishankar in Brüssel", "Bildquelle: EU-Kommission")),
        ("The bare ice.Photograph by Don Smith", ("The bare ice.", "Photograph by Don Smith")),
        ("당선인 모습. [사진 출처 = 연합뉴스]", ("당선인 모습.", "사진 출처 = 연합뉴스")),
        ("テレビを見る国民（ソウルで、３日）＝ＡＰ", ("テレビを見る国民（ソウルで、３日）", "ＡＰ")),
        ("日本代表の石川（Ｃ）共同通信社", ("日本代表の石川", "（Ｃ）共同通信社")),
        # no credit
        ("イスラエルの国旗＝同国で2019年5月", ("イスラエルの国旗＝同国で2019年5月", None)),
        ("The quay in the last century. (Archive)", ("The quay in the last century. (Archive)", None)),
        ("Kerstin Wahala und Elke Hannemann (v.l.).", ("Kerstin Wahala und Elke Hannemann (v.l.).", None)),
        ("He saw a photo by the river.", ("He saw a photo by the river.", None)),
        ("Kim in Moskau", ("Kim in Moskau", None)),
        ("Kim und Putin (Archivbild)", ("Kim und Putin (Archivbild)", None)),
        ("A meeting with Reuters editors", ("A meeting with Reuters editors", None)),
        ("A photo of Kim", ("A photo of Kim", None)),
        ("  Kim\n in   Moskau ", ("Kim in Moskau", None)),
        ("", ("", None)),
    ],
)
def test_split_credit(caption: str, expected: tuple[str, str | None]) -> None:
    assert split_credit(caption) == expected
