"""Build the bundled Indo-Pacific example, ``inputs/indo_pacific.xlsx``, from public figures.

Run from anywhere::

    python inputs/build_example.py            # writes inputs/indo_pacific.xlsx and inputs/indo_pacific_vault.xlsx
    python inputs/build_example.py OUT.xlsx   # writes OUT.xlsx and OUT_vault.xlsx

The second workbook is the same example with a stockpile policy priced: the US Project Vault
target (February 2026: ~USD 12 bn, of it a USD 10 bn EXIM loan, for 60 days of manufacturers'
supply) as ``cover_days`` 60 on every US stockpile (``VAULT``; docs/example.md compares the plans).

Every number the planner reads lives in this file as data. Each non-trivial
figure has a row in ``SOURCES`` (written to the workbook's ``Sources`` sheet:
publisher, title, year, address, and how the figure became an input); where a
number is an estimate, its ``how_used`` starts with ``estimate:`` and says how
it was made. ``docs/example.md`` explains the example to a planner.

Conventions the data follow (see docs/workbook.md and planner/workbook/schema.py):

* amounts in tonnes of the commodity as named: REE concentrates in t of rare
  earth oxide (REO), nickel and cobalt products in t of contained metal,
  lithium hydroxide in t of LiOH·H2O, magnets in t of NdFeB;
* a plant's capacity is measured on the FIRST input of its process (magnet
  plants in t/yr of NdPr oxide fed, lithium refineries in t/yr of spodumene
  concentrate), so ``capex_per_t`` is per t/yr of that input;
* money in 2025 US dollars; A$ converted at 0.65 USD, yen at 148 per USD,
  euro at 1.08 USD, yuan at 7.1 per USD (estimates of 2024–25 averages);
* Chinese facilities are sized at what is available for export to the
  modelled consumers (US and Japan), not at China's total output, because
  China's own demand is outside the model.

The file is written deterministically: fixed document properties and fixed
zip entry times, so the same script gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.workbook.schema import SHEETS_BY_NAME

OUT = Path(__file__).resolve().parent / "indo_pacific.xlsx"
VAULT_SUFFIX = "_vault"  # indo_pacific_vault.xlsx: the same example with the Project Vault floor
YEARS = list(range(2025, 2036))
FIXED_TIME = datetime(2025, 11, 1, 0, 0, 0)

# ============================================================== sources
# id, figure, value, unit, source (publisher, title, year), address, how_used

USGS_REE = "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf"
# fmt: off
SOURCES: list[tuple[str, str, str, str, str, str, str]] = [
    ("S01", "World REE mine production 2024", "390,000", "t REO",
     "USGS, Mineral Commodity Summaries 2025: Rare Earths, 2025",
     USGS_REE,
     "Scale check: modelled US+Japan use in 2025 (25,000 t magnets + 4,000 t oxide = ~12,900 t NdPr, i.e. ~65,000 t REO-equivalent at 0.2 NdPr/t REO) is ~17% of world mine output (docs/example.md)."),
    ("S02", "China REE mine production 2024", "270,000 (69%)", "t REO",
     "USGS, Mineral Commodity Summaries 2025: Rare Earths, 2025",
     USGS_REE,
     "China ~60-70% of mining (seed). Chinese mines are entered at their export-available part only (F: China light/ionic REE mines)."),
    ("S03", "US REE mine production 2024 (Mountain Pass)", "45,000 (~12% of world)", "t REO",
     "USGS, Mineral Commodity Summaries 2025: Rare Earths, 2025",
     USGS_REE,
     "US ~12% of world ore, mostly Mountain Pass (seed); Facilities 'Mountain Pass mine (MP Materials)' 2025 capacity 45,000."),
    ("S04", "Myanmar REE mine production 2024", "31,000", "t REO",
     "USGS, Mineral Commodity Summaries 2025: Rare Earths, 2025",
     USGS_REE,
     "Facilities 'Myanmar ionic-clay mines (Kachin)' capacity 31,000 t REO (availability 0.8, S98)."),
    ("S05", "World REE mine production 2023", "350,000", "t REO",
     "Reuters via Mining.com, Vietnam rare earths output drops as China's grows, US says, 2024",
     "https://www.mining.com/web/vietnam-rare-earths-output-drops-as-chinas-grows-us-says/",
     "Seed figure (~350 kt); cited beside the 2024 figure S01."),
    ("S06", "Vietnam REE reserves (USGS MCS 2024 -> MCS 2025)", "22 Mt -> 3.5 Mt", "t REO",
     "Reuters via Mining.com, US agency slashes its estimate of Vietnam's rare earth reserves, 2025",
     "https://www.mining.com/web/us-agency-slashes-its-estimate-of-vietnams-rare-earth-reserves-in-major-revision/",
     "Seed ~22 Mt (2024 edition); the 2025 revision to 3.5 Mt is why the Vietnam mine candidate is capped at 10,000 t REO/yr."),
    ("S07", "Vietnam REE mine production 2024", "300", "t REO",
     "Reuters via Mining.com (USGS MCS 2025), 2025",
     "https://www.mining.com/web/us-agency-slashes-its-estimate-of-vietnams-rare-earth-reserves-in-major-revision/",
     "Not entered as a facility (too small to matter); Vietnam's supply comes from the mine candidate (S08) and Australian concentrate."),
    ("S08", "Vietnam REE output target by 2030", "20,000-60,000", "t REO/yr",
     "Reuters via Mining.com, 2024",
     "https://www.mining.com/web/vietnam-rare-earths-output-drops-as-chinas-grows-us-says/",
     "estimate: Vietnam mine candidate max 10,000 t REO/yr (low end of target after the S06 reserve revision), earliest 2028."),
    ("S09", "China share of refined REE output 2023; 2030 outlook", "92%; 77%", "share",
     "IEA, Global Critical Minerals Outlook 2024 (via SEAISI), 2024",
     "https://seaisi.org/details/24787?type=news-rooms",
     "China 85-90% of processing (seed); Chinese separation is sized at export-available volumes."),
    ("S10", "Top-3 refiners' share of six critical minerals 2024", "86%", "share",
     "IEA, Global Critical Minerals Outlook 2025 (topic page), 2025",
     "https://www.iea.org/topics/critical-minerals",
     "Context: Indonesia leads nickel, China the other refined minerals; lanes and refiners follow it."),
    ("S11", "China share of Japan's rare earth imports", "~60-63%", "share",
     "Jiji Press via Adnkronos, Japan struggling to reduce rare earth dependence on China, 2026; TrendForce/Nikkei 2025 (63% of REE metal imports 2024)",
     "https://english.adnkronos.com/2026/01/30/japan-struggling-to-reduce-rare-earth-dependence-on-china",
     "Seed ~65%; the Japan magnet share cap starts at 0.65 in 2025 and tightens to 0.3 by 2035."),
    ("S12", "Japan heavy REE import dependence on China", "100%", "share",
     "TrendForce (citing Nikkei, METI Jan 2025), 2025",
     "https://www.trendforce.com/news/2025/06/24/news-japan-reportedly-develops-tech-to-cut-heavy-rare-earth-use-amid-dependence-on-china/",
     "Dy/Tb share caps start at 0.95 (not 0.9): non-China Dy/Tb supply is thin in 2025."),
    ("S13", "Japan imports of rare-earth metals 2024; Vietnam and China shares (value)", "10.64 kt; 59.8%, 29.6%", "t",
     "GTAIC, Rare earth metals market Japan, 2025",
     "https://gtaic.ai/market-reports/rare-earth-metals-and-mercury-market-japan-forecast-in-2025",
     "estimate: Japan NdPr oxide demand outside the modelled magnet plants 3,000 t in 2025 (part of these imports)."),
    ("S14", "NdPr oxide price, Dec 2020", "~65 (seed ~70)", "USD/kg",
     "Stockhead, Rare earths prices are at decade highs, 2021",
     "https://stockhead.com.au/resources/rare-earths-prices-are-at-decade-highs-so-wheres-the-new-supply/",
     "Price history (docs/example.md). The seed '$70/kg in 2020' does not hold as an average: USGS MCS 2025 gives Nd oxide $49/kg for 2020 (S167); ~$65/kg was reached only in December 2020."),
    ("S15", "NdPr oxide realised price MP Materials 2023 -> 2024", "70 -> 51", "USD/kg",
     "MP Materials FY2024 10-K summary (AssetRoom), 2025",
     "https://www.assetroom.net/s/mp-materials-de/q3fGrj/mp-materials-reports-20-revenue-decline-and-65-4-million-net-loss-for-fiscal-year-2024",
     "Low end of the price range; the 2024 low is why the price_war scenario cuts Chinese variable costs by 40%."),
    ("S16", "NdPr oxide price early 2026 (above the DoD floor)", "123", "USD/kg",
     "Reuters via Inspenet, Rare earth prices exceed subsidy threshold in the U.S., 2026",
     "https://inspenet.com/en/noticias/rare-earth-prices-exceed-subsidy-threshold-in-the-u-s",
     "High end of the range. The seed '>$120/kg in 2025' is not a 2025 level: $123/kg is the 18 Feb 2026 spot; 2025 ran from ~$47 (Mar) to ~$88 (Aug) (S167)."),
    ("S17", "DoD 10-year NdPr price floor (MP Materials deal, July 2025)", "110", "USD/kg",
     "NS Energy, MP Materials, DoD partner to build US rare earth magnet supply chain, 2025",
     "https://www.nsenergybusiness.com/news/mp-materials-dod-partner-to-build-us-rare-earth-magnet-supply-chain/",
     "Commodities 'NdPr oxide' price 110,000 USD/t (planning price between the 2024 low and 2026 high, for tariffs); unmet_penalty 5x = 550,000. Support: 'DoD NdPr price floor' rows, a contract for difference at 110,000 USD/t on the NdPr of the US candidates that make it (the MP deal's floor, 10 years: the horizon; its 30% upside claw-back is not modelled)."),
    ("S18", "SMM rare earth prices, 20 Nov 2025", "RE carbonate 45,000; ionic ore 208,000; La2O3 4,500; CeO2 11,600; PrNd oxide 555,000", "CNY/t",
     "Shanghai Metals Market, SMM Rare Earth Weekly Review, 2025",
     "https://news.metal.com/newscontent/103631013/Pr-Nd-Prices-Continue-to-Rise-Downstream-Wait-and-See-Sentiment-Strong-[SMM-Rare-Earth-Weekly-Review]",
     "At 7.1 CNY/USD: light concentrate 6,300 USD/t REO (carbonate), ionic concentrate 29,000 USD/t REO, monazite-xenotime concentrate 12,500 USD/t REO (monazite ~51,600 CNY/t at ~58% REO), La/Ce oxide 1,000 USD/t."),
    ("S19", "Dy oxide and Tb oxide prices", "Dy 180-285; Tb ~460", "USD/kg",
     "USGS MCS 2019 Rare Earths (2018 prices, via Docslib); Gitnux NdFeB statistics (Dy 2023 average)",
     "https://docslib.org/doc/9890780/rare-earths1",
     "estimate: Dy/Tb oxide (3:1 Dy:Tb mix) price 350,000 USD/t; unmet_penalty 5x = 1,750,000. The same USGS sheet gives US apparent REE consumption ~9,500 t REO, 60% catalysts: US La/Ce demand 7,000 t/yr."),
    ("S20", "China NdFeB magnet exports 2024 (volume, value)", "58,152 t; USD 2.86 bn", "t; USD",
     "Adamas Intelligence, Record rare earth magnet exports from China in 2024, 2025",
     "https://www.adamasintel.com/record-rare-earth-magnet-exports-from-china-in-2024/",
     "estimate: export unit value 49 USD/kg at 2024 NdPr ~51 USD/kg; magnet price 65,000 USD/t at the 110 USD/kg NdPr planning price. China magnet plants sized at ~half of these exports (30,000 t magnet = 10,714 t NdPr fed)."),
    ("S21", "MP Materials REO in concentrate 2024; NdPr oxide 2024", "45,455; 1,294", "t",
     "MP Materials, Fourth quarter and full year 2024 results, 2025",
     "https://mpmaterials.com/articles/mp-materials-reports-fourth-quarter-and-full-year-2024-results",
     "Mountain Pass mine 45,000 t REO (2025); MP separation ramp 12,500 t feed in 2025 (~2,500 t NdPr)."),
    ("S22", "MP Materials 'Upstream 60K' REO target", "60,000", "t REO/yr",
     "MP Materials FY2024 annual report (Reportify summary), 2025",
     "https://reportify.ai/filings/1092979067826868224",
     "Capacity sheet: Mountain Pass mine 45,000 (2025) -> 52,000 (2026) -> 60,000 (2027+)."),
    ("S23", "MP Independence magnet plant (Fort Worth) capacity", "1,000", "t NdFeB/yr",
     "Industrial Heating, Construction begins on rare earth manufacturing facility in Texas, 2022",
     "https://www.industrialheating.com/articles/96976-construction-begins-on-rare-earth-manufacturing-facility-in-texas",
     "Existing 'US magnet plants (MP Independence, eVAC)': Independence 1,000 t magnet / 2.8 = 357 t NdPr fed (150 in the 2025 ramp) plus eVAC 536 (S43)."),
    ("S24", "MP 10X magnet facility: total MP magnet capacity; commissioning", "10,000 t/yr; 2028", "t NdFeB/yr",
     "Adamas Intelligence, MP Materials announces partnership with the US DoD, 2025",
     "https://www.adamasintel.com/mp-materials-announces-transformational-partnership-with-the-us-department-of-defense",
     "Committed capacity (Capacity sheet) 'MP Materials 10X magnet plant (committed)': 7,000 t magnet = 2,500 t NdPr fed; 1,250 in 2028, 2,500 from 2029."),
    ("S25", "10X financing: JPMorgan/Goldman loan", "1.0", "USD bn",
     "Khelre, MP Materials partners with the Department of Defense, 2025",
     "https://khelre.com/mp-materials-partners-with-the-department-of-defense-to-create-a-secure-supply-of-rare-earth-magnets-for-electric-vehicles",
     "10X is financed and DoD buys its output for 10 years, so it is entered as committed capacity with no capex in the plan (sunk for the planner)."),
    ("S26", "DoD equity in MP; DoD loan for heavy REE separation", "400; 150", "USD M",
     "Metal Tech News, DOD commits billions to US rare earths, 2025",
     "https://www.metaltechnews.com/story/2025/07/16/tech-metals/dod-commits-billions-to-us-rare-earths/2370.html",
     "Context for the US budget (S63); MP separation reaches its 30,000 t/yr feed design by 2027 (Capacity sheet)."),
    ("S27", "Lynas Kalgoorlie processing facility cost; NdPr nameplate from its MREC", "A$800 M; ~9,000 t/yr", "A$; t",
     "Process Online, Lynas opens Kalgoorlie Rare Earths Processing Facility, 2024",
     "https://www.processonline.com.au/content/business/news/lynas-opens-kalgoorlie-rare-earths-processing-facility-477360092",
     "Kalgoorlie cracking is folded into the Mt Weld mine (its concentrate stands for Kalgoorlie MREC)."),
    ("S28", "Lynas Malaysia NdPr capacity after upgrade", "10,500", "t NdPr/yr",
     "The Star, Lynas bids goodbye to M'sia (upstream), 2023",
     "https://www.thestar.com.my/news/nation/2023/10/21/lynas-bids-goodbye-to-msia",
     "Lynas Malaysia separation 52,500 t feed in 2025 (10,500 / 0.2 NdPr yield); availability 0.55 because about half of Lynas' NdPr is sold outside the US and Japan (S106)."),
    ("S29", "Lynas Mt Weld expansion target", "12,000", "t NdPr/yr",
     "Australian Mining, Lynas' Mt Weld gets a boost, 2025",
     "https://www.australianmining.com.au/lynas-mt-weld-gets-a-boost/",
     "Mt Weld mine and Lynas Malaysia 60,000 t REO/yr from 2026 (12,000 / 0.2)."),
    ("S30", "Lynas quarterly output Sep-2025 quarter", "3,993 t REO; 2,003 t NdPr", "t/quarter",
     "Rawmaterials.net, Lynas reports record quarter, 2025",
     "https://rawmaterials.net/lynas-reports-record-quarter-expands-japan-supply-chain",
     "Check: ~8,000 t NdPr/yr run-rate, within the modelled 10,500-12,000 capacity."),
    ("S31", "Lynas Malaysia heavy REE expansion", "A$180 M (~RM500 M); 5,000 t HRE feed/yr; first output Apr 2026", "A$; t/yr",
     "Malay Mail / The Edge (Bloomberg), 2025",
     "https://www.malaymail.com/amp/news/money/2025/10/29/lynas-set-to-power-global-tech-from-its-malaysian-rare-earths-hub/196392",
     "Candidate 'Lynas Malaysia heavy-REE expansion': 5,000 t feed, capex 118 M USD (20 M + 19,600/t), lead 1, earliest 2026."),
    ("S32", "Lynas US (Seadrift, Texas) heavy REE plant, DoD contract", "~258", "USD M",
     "Magnetics Magazine, DoD strengthens support for Lynas U.S. facility, 2023",
     "https://magneticsmag.com/u-s-dod-strengthens-support-for-lynas-u-s-facility/",
     "Context only: Lynas' US plant is not a candidate (stalled, S34); the US separation candidate is Energy Fuels Phase 2 (S39)."),
    ("S33", "Lynas Texas light REE plant: NdPr capacity; DoD grant", "1,250 t/yr; USD 30 M", "t; USD",
     "C&EN, Lynas to build Texas rare earths plant, 2021",
     "https://cen.acs.org/materials/inorganic-chemistry/Lynas-build-Texas-rare-earths/99/i4",
     "Context: scale of a DoD-backed US separation line (1,250 t NdPr); compare Energy Fuels Phase 2 (6,000 t)."),
    ("S34", "Lynas Texas plant stalled (offtake talks)", "may not proceed", "status",
     "Samarium.dev, Lynas Texas plant stalls amid US policy shift, 2025",
     "https://samarium.dev/news/lynas-texas-plant-stalls-amid-u-s-policy-shift",
     "Why Lynas Seadrift is left out of the candidates (docs/example.md)."),
    ("S35", "Iluka Eneabba refinery capex; capacity; commissioning", "A$1.7-1.8 bn; up to 23,000 t REO/yr; 2027", "A$; t/yr",
     "NS Energy / Kallanish, Australia commits additional A$400m to Eneabba, 2024",
     "https://nsenergybusiness.com/news/australia-commits-additional-257m-to-ilukas-eneabba-rare-earths-refinery",
     "Committed build 'Iluka Eneabba refinery (completion)': 23,000 t feed online from 2027 on every path (a decision already taken), remaining capex ~0.70 bn USD (150 M + 24,000/t; estimate: ~60% of A$1.7-1.8 bn still to spend in 2025) as its capital charge, funder Australia; planner solve --free-committed asks whether the least-cost plan would take it."),
    ("S36", "Government loans to Eneabba", "A$1.25 bn + A$0.4 bn (~A$1.65 bn)", "A$",
     "Mining Magazine, Australian Government delivers $1.65b for Eneabba rare earths, 2024",
     "https://miningmagazine.com.au/australian-government-delivers-1-65b-for-eneabba-rare-earths/",
     "Iluka's feed: the Eneabba monazite stockpile, released from 2027 (Capacity sheet)."),
    ("S37", "Arafura Nolans: NdPr output; capex; opex", "4,440 t/yr; A$1.6 bn; A$46.6/kg NdPr", "t; A$",
     "Mining Weekly, Arafura aims for Nolans FID (2021); Business News, Arafura pursues FID (2024)",
     "https://www.businessnews.com.au/article/Arafura-pursues-FID-on-Nolans-project?amp",
     "Candidate 'Arafura Nolans (mine-to-oxide)': entered as a mine putting out NdPr oxide, 4,440 t/yr, capex 1.04 bn USD, var_cost 31,000 USD/t."),
    ("S38", "Nolans NdPr enrichment", "26.4% of TREO", "share",
     "Arafura Rare Earths, Nolans project page, 2020",
     "https://www.arultd.com/projects/nolans/feasibility-study-update.html",
     "estimate: generic light-ore separation yields NdPr 0.20 t per t REO (Mt Weld/Nolans ~25%, Mountain Pass ~16%, net of ~90% recovery)."),
    ("S39", "Energy Fuels White Mesa Phase 2: capex; NdPr; Dy; Tb; commissioning", "410 M; >6,000; 240; 66 t/yr; Q1 2029", "USD; t/yr",
     "Energy Fuels BFS summary (Reportify), 2026",
     "https://reportify.ai/news/1209261035656318976",
     "Candidate 'Energy Fuels White Mesa Phase 2': 30,000 t monazite feed; monazite recipe Dy/Tb 0.0102 t per t feed (306 t per 6,000 t NdPr at 0.2 NdPr/t); feed from S104 only (no bastnaesite)."),
    ("S40", "Energy Fuels Phase 1 NdPr capability", "~1,000", "t/yr",
     "Energy Fuels BFS summary (Web3/OKX digest), 2026",
     "https://web3.ouzhyi.onl/it/discover/post/65954887756000",
     "Existing 'Energy Fuels White Mesa Phase 1' 5,000 t feed."),
    ("S41", "Vulcan Elements magnet plant: capacity; cost; OSC loan; start", "10,000 t; USD 918 M; USD 620 M; 2027", "t; USD",
     "PR Newswire (Vulcan Elements), 2025; Brightgram/Manufacturing Dive, 2025",
     "https://www.prnewswire.com/news-releases/vulcan-elements-forges-1-4-billion-partnership-with-the-united-states-government-and-reelement-technologies-to-expand-100-vertically-integrated-domestic-magnet-supply-chain-302602878.html",
     "Candidate 'Vulcan Elements magnet plant (Benson NC)': 3,571 t NdPr fed, capex 918 M (100 M + 229,000/t), lead 2, funder US."),
    ("S42", "ReElement Technologies OSC loan (recycling/refining)", "80", "USD M",
     "PR Newswire (Vulcan Elements), 2025",
     "https://www.prnewswire.com/news-releases/vulcan-elements-forges-1-4-billion-partnership-with-the-united-states-government-and-reelement-technologies-to-expand-100-vertically-integrated-domestic-magnet-supply-chain-302602878.html",
     "US magnet-recycling candidates are funded by the US budget."),
    ("S43", "VAC/eVAC US magnet plant DoD award; GM order", "94.1 M; 1,000 t/yr", "USD; t/yr",
     "InvestorNews, DoD makes bold moves in rare earth magnet manufacturing, 2023",
     "https://investornews.com/critical-minerals-rare-earths/a-landmark-moment-u-s-dept-of-defense-makes-bold-moves-in-rare-earth-magnet-manufacturing/",
     "estimate: eVAC (South Carolina) 1,500 t magnet = 536 t NdPr fed, part of existing 'US magnet plants (MP Independence, eVAC)'."),
    ("S44", "Neo Performance Narva magnet plant: cost; capacity", "EUR 75 M; 2,000 t/yr", "EUR; t",
     "Automotive World, Neo opens Estonia rare-earth plant, 2025",
     "https://www.automotiveworld.com/articles/neo-opens-estonia-rare-earth-plant-to-cut-eu-reliance-on-china/",
     "Capex analogue for the Thailand magnet candidate: ~41,000 USD/t magnet = 115,000 USD per t/yr NdPr fed."),
    ("S45", "Neo Magnequench Korat (Thailand) NdFeB powder capacity", "1,800", "t/yr",
     "Courage Magnet, Production capacity of major NdFeB manufacturers overseas, 2023",
     "https://www.couragemagnet.com/magnet-blog/871.html",
     "Existing 'Neo Magnequench Korat (Thailand)' 643 t NdPr fed (1,800 / 2.8)."),
    ("S46", "Shin-Etsu Vietnam magnet plant: investment; capacity", "JPY 12 bn (USD 117 M); 2,000 t/yr", "USD; t",
     "Chemical Engineering, Shin-Etsu to construct rare-earth magnet plant in Vietnam, 2014",
     "https://chemengonline.com/shin-etsu-to-construct-rare-earth-magnet-plant-in-vietnam",
     "Existing 'Shin-Etsu magnets (Hai Phong, Vietnam)' 714 t NdPr fed; Japan magnet candidate capex 170,000 per t NdPr (58,500 USD/t magnet x 2.8 + inflation)."),
    ("S47", "Shin-Etsu Hai Phong REE refining plant: cost; capacity", "USD 25.9 M; 1,000 t/yr", "USD; t",
     "Reuters, Shin-Etsu to build Vietnam rare earth plant, 2012",
     "http://in.reuters.com/article/shinetsu-idINL4E8CN78Q20120123",
     "Candidate 'Shin-Etsu Hai Phong separation expansion (Japan-backed)': capex 30,000 USD per t/yr feed (26,000 escalated), up to 10,000 t feed; the existing 1,000 t line is folded into it."),
    ("S48", "SGI (Korea) Vietnam magnet factory: investment; target", "USD 80 M; 5,000 t/yr by 2025", "USD; t",
     "Vietnam Government News (Reuters), Rare earths magnet firms turn to Viet Nam, 2023",
     "https://en.baochinhphu.vn/rare-earths-magnet-firms-turn-to-viet-nam-reuters-111230824095156757.htm",
     "estimate: Vietnam magnet candidate capex 100,000 USD per t/yr NdPr (between SGI ~45,000 and Shin-Etsu 164,000)."),
    ("S49", "Solvay La Rochelle: target; full-scale investment", "~4,500 t/yr by 2030; EUR ~100 M", "t; EUR",
     "Speciality Chemicals Magazine, Solvay resumes rare earth production, 2025",
     "https://specchemonline.com/node/10107",
     "Analogue only (Europe is outside the model): OECD separation capex ~25,000-55,000 USD per t/yr REO; supports S35/S47 values."),
    ("S50", "Cyclic Materials Kingston recycling hub: cost; magnet feed", "USD 25 M; 500 t/yr", "USD; t",
     "Metalnomist, Cyclic Materials invests $25mn in rare earth recycling, 2025",
     "https://www.metalnomist.com/2025/08/cyclic-materials-invests-25mn-in-rare.html",
     "US/Japan recycling candidates: 140,000 USD per t/yr NdPr oxide (500 t magnet ~ 170 t oxide)."),
    ("S51", "Recyclable NdFeB magnets in the US by 2035", ">43,000", "t",
     "Gokawiil (MIT Technology Review climate list), Cyclic Materials, 2025",
     "http://gokawiil.com/article/163005",
     "Recycling candidates capped at 1,500 t NdPr (US hub) and 2,000 t magnets (US magnet-to-magnet)."),
    ("S52", "Share of rare earths recycled today", "<1% (seed <5% of demand)", "share",
     "Rare Earth Exchanges, Racing to recycle, 2025",
     "https://rareearthexchanges.com/news/racing-to-recycle-can-scrap-shift-the-rare-earth-equation",
     "Existing recyclers (Japan 300 t NdPr, Noveon 500 t magnet) ~4% of modelled magnet-equivalent demand in 2025."),
    ("S53", "NdFeB rare-earth content; Dy content", "~30% REE (as metal); Dy ~4% (falling)", "mass share",
     "Heim & Vander Wal, NdFeB permanent magnet uses, Minerals 13(10) 1274, 2023",
     "https://www.mdpi.com/2075-163X/13/10/1274",
     "estimate: magnet recipe 1 t NdPr oxide (0.857 t metal) + 0.04 t Dy/Tb -> 2.8 t magnet (29% NdPr metal, ~1.4% Dy/Tb, 95% yield with swarf recycled)."),
    ("S54", "Magnet per EV traction motor; per MW of wind", "~2 kg; ~600 kg (0.625-0.85 t/MW low-speed PM)", "kg",
     "WifiTalents NdFeB statistics; Heim & Vander Wal (encyclopedia.pub), 2023",
     "https://encyclopedia.pub/entry/50309",
     "Seed 1-2 kg/EV and up to 600 kg/turbine; used for the demand growth rates (S57, S58)."),
    ("S55", "MP: 1,000 t magnets supports ~500,000 EV motors", "2", "kg/motor",
     "Magnetics Magazine, MP Materials begins construction, 2022",
     "https://magneticsmag.com/mp-materials-begins-construction-of-magnetics-factory-cements-supply-deal-with-general-motors",
     "Cross-check of S54."),
    ("S56", "China magnet exports to the US 2024; May 2025", ">400 t/month; 46 t", "t/month",
     "IB News (Nikkei, Ferroalloy Online), 2025",
     "https://www.ibnews.com/2025/11/22/chinas-rare-earth-magnet-exports-to-the-us-increased-for-the-first-time-in-three-months-in-october",
     "estimate: US magnet demand 10,000 t in 2025 (~5,000 t direct from China + Japan, Vietnam, EU and US output); May 2025 drop shows an export cut can be near-total."),
    ("S57", "Global NdFeB demand growth 2024-2040", "8.7%/yr CAGR", "growth",
     "Adamas Intelligence, Rare Earth Magnet Market Outlook to 2040, 2024",
     "https://adamasintel.com/rare-earth/rare-earth-magnet-market-outlook-to-2040",
     "estimate: US magnet demand +9%/yr to 2030 then +7%/yr (EVs, wind, reshoring); Japan +5% then +4%; oxide demand +6%/+4%."),
    ("S58", "Magnet REE demand 2023 -> 2030 (IEA APS)", "93 kt -> 131 kt", "t",
     "IEA, Global Critical Minerals Outlook 2024 (via SEAISI), 2024",
     "https://seaisi.org/details/24787?type=news-rooms",
     "Cross-check of growth rates; seed 'demand >500 kt by 2030' is total REO demand (SPEC §8)."),
    ("S59", "Japan share of non-China NdFeB output", "about half (China ~80% of world)", "share",
     "CNA (Bloomberg Opinion, UBS SuMi TRUST), China rare earth Japan export ban, 2026",
     "https://www.channelnewsasia.com/commentary/china-rare-earth-japan-export-ban-taiwan-5845981",
     "estimate: existing 'Japan magnet makers (Shin-Etsu, Proterial, TDK, Daido)' 15,000 t magnet = 5,357 t NdPr fed (Japan-sited part of ~30 kt Japanese-company output); Japan magnet demand 15,000 t in 2025."),
    ("S60", "JOGMEC/Sojitz A$200 M in Lynas: up to 65% of Mt Weld Dy/Tb to Japan = ~30% of Japan demand", "A$200 M; 65%; 30%", "share",
     "Firstpost (Nikkei Asia), 2023",
     "https://www.firstpost.com/business/japan-to-acquire-first-stake-in-heavy-rare-earth-elements-industry-to-reduce-reliance-on-china-12262572.html",
     "estimate: Japan Dy/Tb demand ~470 t (250 t direct + ~220 t in modelled magnet plants); Lynas' ~160 t x 65% ~ 22-30% of it."),
    ("S61", "China export controls: gallium/germanium (Aug 2023), graphite (Dec 2023)", "licences", "policy",
     "FTI Consulting, China's export controls on critical minerals, 2023",
     "https://fticonsultingpower.com/insights/chinas-export-controls-on-critical-minerals-gallium-germanium-and-graphite/",
     "Basis of the china_ree_ban scenario probability (0.15): repeated use of export controls."),
    ("S62", "China REE export controls Apr 4 2025 (Sm, Gd, Tb, Dy, Lu, Sc, Y) and Oct 9 2025 (+5 elements, magnet tech, 0.1% rule)", "12 of 17 REE", "policy",
     "Amazing Magnets (MOFCOM Announcement 18/2025); Particle News (Oct 2025), 2025",
     "https://amazingmagnets.com/industry-news/chinas-2025-rare-earth-export-controls-strategic-leverage-or-supply-chain-disruption",
     "china_ree_ban: export_cut value 1 on NdPr oxide, Dy/Tb oxide, La/Ce oxide and NdFeB magnets from China, 2028-2030, branch_year 2028."),
    ("S63", "US OBBBA defence funds for critical-mineral supply chains; DPA", "USD 7.5 bn (s.20004); USD 1 bn (s.30004)", "USD",
     "Discovery Alert, One Big Beautiful Bill critical minerals funding, 2025",
     "https://discoveryalert.com.au/news/one-big-beautiful-bill-2025-critical-minerals-funding",
     "estimate: US budget 5.0 bn USD of plant capex decided 2025-2029 (7.5 bn less 2 bn for NDS purchases, S64, and ~0.5 bn OSC credit subsidy)."),
    ("S64", "OBBBA: National Defense Stockpile; DoD loan programme", "USD 2 bn; USD 0.5 bn", "USD",
     "Rawmaterials.net, One Big Beautiful Bill Act becomes law, 2025",
     "https://rawmaterials.net/one-big-beautiful-bill-act-becomes-law-expands-funding-for-u-s-critical-minerals-stockpile/",
     "US DLA stockpiles: max 5,000 t NdPr (~0.55 bn USD at 110/kg), 300 t Dy/Tb, 5,000 t magnets."),
    ("S65", "National Defense Stockpile assets (Mar 2023)", "USD 1.3 bn total; 912 M material", "USD",
     "Congressional Research Service R47833, 2023",
     "https://www.everycrsreport.com/reports/R47833.html",
     "US stockpiles start empty of NdPr/magnets (no usable REE inventory); 300 t cobalt assumed."),
    ("S66", "DoD accelerated stockpile procurement", "up to USD 1 bn", "USD",
     "Samarium.dev, Pentagon launches $1bn critical minerals stockpile, 2025",
     "https://samarium.dev/news/pentagon-launches-1bn-critical-minerals-stockpile",
     "US stockpile cover_days left blank: the model sizes US stocks against the ban risk."),
    ("S67", "Section 301 tariffs on Chinese permanent magnets; other critical minerals", "25% from 2026; 25% from 2024", "fraction",
     "Fastmarkets, US to impose 25% import tariffs on Chinese rare earth magnets, 2024",
     "https://www.fastmarkets.com/insights/us-to-impose-25-import-tariffs-on-chinese-rare-earth-magnets",
     "Lanes China->US: tariff 0.25 on magnets and (estimate) on REE oxides, lithium, nickel and cobalt chemicals."),
    ("S68", "US tariffs: Japan 15%, Indonesia 19%", "0.15; 0.19", "fraction",
     "FreightWaves, Trump reaches trade deals with Japan, Indonesia, the Philippines, 2025",
     "https://www.freightwaves.com/news/trump-reaches-trade-deals-with-japan-indonesia-the-philippines",
     "Lanes Japan->US magnets tariff 0.15."),
    ("S69", "US tariffs: Malaysia, Thailand, Cambodia 19%; Vietnam 20%; Malaysia no export bans to US", "0.19; 0.20", "fraction",
     "Regfollower, US signs trade deals on rare earths with Malaysia, Cambodia, Thailand, Vietnam, 2025",
     "https://regfollower.com/us-trump-administration-signs-trade-deals-on-rare-earth-and-critical-minerals-with-malaysia-cambodia-thailand-vietnam",
     "Lanes to US: magnets from Malaysia/Thailand 0.19, Vietnam 0.20."),
    ("S70", "Reciprocal tariffs exempt critical minerals (Annex II), incl. rare earths, cobalt, nickel", "0", "fraction",
     "Rawmaterials.net, U.S. tariffs: critical minerals spared, 2025",
     "https://rawmaterials.net/u-s-tariffs-critical-minerals-semiconductors-energy-spared-for-now/",
     "Lanes from non-China countries to the US: tariff 0 on oxides, lithium, nickel and cobalt chemicals."),
    ("S71", "US-Japan critical minerals framework signed 28 Oct 2025 (financing, stockpiling cooperation)", "framework", "policy",
     "Federal News Wire, United States and Japan sign agreement on critical minerals supply chain, 2025",
     "https://thefederalnewswire.com/stories/675952559-united-states-and-japan-sign-agreement-on-critical-minerals-supply-chain",
     "Settings name; US and Japan are the modelled consumers and budget holders."),
    ("S72", "Japan programme for critical minerals to 2027", "JPY 400 bn (~USD 2.7 bn)", "JPY",
     "Planners' brief (SPEC.md §1, §8); context: Jiji Press/Nippon.com, Japan to spend 39 bn yen to diversify rare earth supplies, 2026",
     "https://www.nippon.com/en/news/yjj2026012000528/japan-to-spend-39-b-yen-to-diversify-rare-earth-supplies.html",
     "Budgets: Japan 2025-2027 max_capex 2.7 bn USD (at ~148 JPY/USD). NOT SOURCED: no public source for a JPY 400 bn programme was found; it is the brief's seed figure, kept so the plan stays comparable. Sourced lines are JPY 39 bn (Jan 2026, this page) and JPY 92.2 bn (FY2024 supplementary, S176)."),
    ("S73", "JOGMEC fund for mining and processing projects", "JPY 105.8 bn (USD 788 M)", "JPY",
     "Rawmaterials.net (Nikkei), Japan wants to subsidise raw materials for e-cars, 2023",
     "https://rawmaterials.net/japan-wants-to-subsidize-raw-materials-for-e-cars/",
     "Japan-funded candidates abroad (Shin-Etsu Hai Phong separation expansion, Vietnam magnet expansion) carry funder Japan and count against the Japan budget (S72)."),
    ("S74", "Japan rare metal stockpile target", "60 days (up to 180 for high-risk)", "days",
     "IEA Policies database, Japan International Resource Strategy - national stockpiling system, 2023",
     "https://origin.iea.org/policies/16639-international-resource-strategy-national-stockpiling-system",
     "Stockpiles: JOGMEC NdPr and cobalt cover_days 60; JOGMEC Dy/Tb 180 (high geopolitical risk)."),
    ("S75", "Japan battery production goal", "7x by 2030 (to 150 GWh)", "growth",
     "Rawmaterials.net (Nikkei), 2023",
     "https://rawmaterials.net/japan-wants-to-subsidize-raw-materials-for-e-cars/",
     "estimate: Japan battery-chemical demand grows ~2.5x 2025->2030 (short of the goal), then +4-5%/yr."),
    ("S76", "OMB Circular A-94 real discount rate for public investment", "7%", "1/yr",
     "US EPA OSWER Directive 9355.3-20 quoting OMB Circular A-94 (1992)",
     "https://nepis.epa.gov/Exe/ZyPURL.cgi?Dockey=91022W85.txt",
     "Settings discount_rate 0.07 (also used for stock carrying cost: holding_cost = 7% of price + 300 USD/t storage)."),
    ("S77", "Greenbushes spodumene capacity", "1.27 Mt/yr + ~0.8 Mt/yr by 2025; potential ~2.5 Mt", "t SC6/yr",
     "Argus Media, Australia's Greenbushes mine expands lithium capacity, 2022",
     "https://www.argusmedia.com/en/news/2328828-australias-greenbushes-mine-expands-lithium-capacity",
     "Existing 'Greenbushes (Talison)' 1,500,000 t (2025) -> 2,000,000 t (2026+); owner China (S197)."),
    ("S78", "Kemerton LiOH: trains 1-2; trains 3-4 (+50 kt) capex", "50 kt; USD 1.25-1.5 bn", "t LiOH/yr; USD",
     "Australian Mining, Albemarle to double lithium hydroxide capacity at Kemerton, 2023",
     "https://www.australianmining.com.au/albemarle-to-double-lithium-hydroxide-capacity-at-kemerton/",
     "Existing Kemerton 1-2: 357,000 t SC6 (50 kt LiOH / 0.14); candidate trains 3-4 capex 1.45 bn USD; US LiOH candidate uses the same analogue +8%."),
    ("S79", "Spodumene concentrate grade (SC6)", "6% Li2O", "grade",
     "METS Engineering, Lithium, 2019",
     "https://www.metsengineering.com/commodity/lithium/",
     "estimate: 1 t SC6 = 0.0279 t Li; at 85% recovery and 16.5% Li in LiOH·H2O -> 0.14 t LiOH·H2O (recipe 'Lithium refining')."),
    ("S80", "Australia lithium mine output 2024", "88,000", "t Li",
     "USGS, Mineral Commodity Summaries 2025: Lithium, 2025 (as quoted by Statista)",
     "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-lithium.pdf",
     "Scale check: Greenbushes (~2 Mt SC6 ~ 56 kt Li) is most of it."),
    ("S81", "Lithium prices (spodumene, hydroxide)", "SC6 600-700 USD/t (2019); LiOH 14-16 USD/kg (2021)", "USD",
     "Fastmarkets, 2019-2021",
     "https://www.fastmarkets.com/insights/spot-prices-for-lithium-hydroxide-and-carbonate-outpace-spodumene/",
     "estimate: 2025 planning prices SC6 900 USD/t and LiOH 10,000 USD/t (2025 trough near 2019 levels)."),
    ("S82", "Average EV battery (60 kWh, 2020): Li; Ni; Co", "6; 29; 8", "kg",
     "Visual Capitalist (T&E data), The key minerals in an EV battery, 2022",
     "https://elements.visualcapitalist.com/the-key-minerals-in-an-ev-battery/",
     "estimate: battery-chemical demand = EVs x content (LiOH 36 kg, Ni 29 kg, Co ~5 kg today); hydroxide only for nickel-rich cathodes."),
    ("S83", "EV sales 2024; US share", "17.3 M world; US >10%", "vehicles",
     "IEA, Global EV Outlook 2025 (via Energy Magz), 2025",
     "https://energymagz.com/?p=36091",
     "estimate: US EVs ~1.6 M in 2025 -> ~3.2 M in 2030 (one in five new cars, IEA 2024) -> ~4.8 M in 2035."),
    ("S84", "US EV share by 2030", "1 in 5", "share",
     "CollisionWeek (IEA Global EV Outlook 2024), 2024",
     "https://collisionweek.com/2024/08/09/international-energy-agency-reports-global-ev-sales-expected-reach-17-million-2024/",
     "See S83."),
    ("S85", "Indonesia share of world nickel mine output 2023", "1.8 of 3.6 Mt (50%)", "t Ni",
     "Databoks (USGS MCS 2024), 2024",
     "https://databoks.katadata.co.id/index.php/pertambangan/statistik/78c11619e2e0aa2/indonesia-negara-penghasil-nikel-terbesar-di-dunia-pada-2023",
     "Indonesia is the nickel intermediate source; Indonesian HPAL sized at 250,000 t Ni (export-available); owner China (S194)."),
    ("S86", "Indonesian HPAL: QMB 50 kt Ni for USD 700 M; >160 kt Ni-in-MHP commissioned", "14,000 USD per t/yr", "USD",
     "Wood Mackenzie, The rise and rise of Indonesian HPAL, 2023",
     "https://www.woodmac.com/news/opinion/rise-of-indonesian-hpal/",
     "Candidate 'Indonesia HPAL expansion (Pomalaa)' capex 100 M + 14,000 per t Ni/yr."),
    ("S87", "Huayou 2024 MHP: 180 kt Ni with 18 kt Co; GEM ~10 kt Co", "18,000; 10,000", "t Co",
     "CF Mining Group (Cailian Press), DRC cobalt export quota, 2025",
     "http://www.cfmininggroup.com/340.html",
     "Existing 'Indonesia HPAL cobalt (in MHP)' 25,000 t Co."),
    ("S88", "DRC cobalt output 2024; export quotas", "~220 kt; 18,125 t rest of 2025; 96,600 t/yr 2026-27", "t Co",
     "Zimbabwe Now, DR Congo to replace cobalt export ban with quota system, 2025",
     "https://www.zimbabwenow.co.zw/articles/17580/dr-congo-to-replace-cobalt-export-ban-with-quota-system",
     "Capacity sheet 'DRC cobalt hydroxide (export quota)': 60,000 (2025, ban + quota) -> 96,600 (2026-27) -> 130,000 (2028+, estimate: quota relaxed); owner China (S196)."),
    ("S89", "Cobalt sulphate price Aug 2025; hydroxide ~12 USD/lb", "6,947 USD/t sulphate", "USD",
     "Zimbabwe Now (Adamas); Argus Media, 2025",
     "https://www.argusmedia.com/en/news-and-insights/latest-market-news/2688184-quotas-most-likely-option-for-drc-cobalt-export-restart",
     "Cobalt sulphate 34,000 USD/t Co (6,947 / 0.205); cobalt hydroxide 26,500 USD/t Co (12 USD/lb)."),
    ("S90", "Nickel sulphate price (SMM) July 2025; MHP payable", "27,192 CNY/t; 78-80% of LME", "CNY/t; share",
     "Discovery Alert (SMM), 2025; Fastmarkets, 2024",
     "https://discoveryalert.com.au/news/nickel-sulphate-prices-2025-market-dynamics/",
     "Nickel sulphate 17,200 USD/t Ni (27,192 / 7.1 / 0.22); MHP 12,400 USD/t Ni (80% of ~15,500 LME)."),
    ("S91", "US cobalt need vs production", "~8,000 vs 300", "t Co/yr",
     "World Trade Scanner (USGS MCS 2025), 2025",
     "https://worldtradescanner.com/The%20US%20Needs%208,000%20tons%20of%20Critical%20Mineral%20Cobalt%20a%20year.htm",
     "US cobalt sulphate demand 6,000 t Co in 2025 (battery part of ~8,000)."),
    ("S92", "Freight per tonne (bulk; containerised concentrate, oxides, magnets, chemicals)", "65-850", "USD/t",
     "Estimate (container rates ~USD 2,000-4,000 per 20-25 t box; bulk USD 15-40/t; insurance on high-value cargo)",
     "",
     "estimate: lane cost = handling + rate x sea distance (1.25 x great circle between main ports): bulk 30 + 4 per 1,000 km; concentrate 80 + 8; oxides 150 + 15; magnets 250 + 25; chemicals 60 + 8 per t of product, times t product per t metal for Ni/Co; Myanmar/Laos overland 150-260."),
    ("S93", "Processing and mining variable costs", "see Facilities", "USD/t",
     "Estimate scaled from Arafura Nolans FS opex A$46.6/kg NdPr (S37) and China magnet export value (S20)",
     "",
     "estimate: mine + separation per t REO feed: China 1,700 + 2,000; Lynas 2,600 + 3,000; MP 2,300 + 3,200; Iluka stockpile 1,500 + 3,600; Energy Fuels 4,000 + 4,500 (non-China ~28,000-42,000 USD per t NdPr, cf. Nolans A$46.6/kg). Magnet conversion per t NdPr fed: China 60,000 (S20: ~86,000 incl. margin); Japan and SE Asia 86,000-93,500; US 105,000-115,000."),
    ("S94", "Unmet-demand penalty", "5x price", "USD/t",
     "Modelling choice",
     "",
     "estimate: unmet_penalty = 5 x price for every commodity: high enough that shortfalls are a last resort, finite so the plan reports them instead of failing."),
    ("S95", "Annual chances of the disruptions on the Risks sheet", "REE squeeze 0.15; quota 0.06; full ban 0.03; price war 0.12; demand surge 0.05; DRC ban 0.08; RKAB cut 0.2", "probability per year",
     "Judgement from the record of export controls (S61, S62, S109-S120), price swings (S14-S16, S121-S125), demand outlooks (S57, S58, S126, S127) and DRC/Indonesian policy (S128-S134)",
     "",
     "estimate: episode counts per year of record (e.g. 2 flow-cutting REE episodes in 2010-2025 -> 0.125, 0.15 with the 2023-25 burst); the planner turns them into one scenario per risk and start year (docs/risks.md)."),
    ("S96", "Stockpile storage cost and capex", "300 USD/t/yr; 300 USD/t", "USD",
     "Estimate (warehousing of drummed oxides and boxed magnets)",
     "",
     "estimate: holding_cost = 7% x price (capital, S76) + 300 USD/t; new storage capex 300 USD/t, life 30."),
    ("S97", "Export-available sizing of Chinese facilities", "see Facilities", "t/yr",
     "Estimate from China's 2024 exports (S20) and US/Japan demand",
     "",
     "estimate: Chinese mines, separation, magnet, lithium, nickel and cobalt plants sized at roughly the volumes they could ship to the US and Japan, not total Chinese output; all of China's capacity, and the world's, is on the World sheet (S187-S193)."),
    ("S98", "Myanmar supply disruption (2024 imports from Myanmar -31.6%)", "-31.6%", "change",
     "Reuters (via News From RSS), China's rare earth exports in 2024 climb, 2025",
     "https://newsfromrss.com/chinas-rare-earth-exports-in-2024-climb-as-home-demand-limited",
     "Myanmar mines availability 0.8."),
    ("S99", "MP stopped concentrate shipments to China (2025)", "~9% of China's NdPr feed", "share",
     "Discovery Alert, NdPr prices surge 40% since July 2025, 2025",
     "https://discoveryalert.com.au/?p=37503",
     "No US->China lane for REE concentrate; Australian concentrate also goes only to non-China plants."),
    ("S100", "Malaysia REE resources; raw REE export ban since Jan 2024", "16.1 Mt; ban", "t; policy",
     "WorldECR, Trump inks critical minerals deals at ASEAN, 2025",
     "https://www.worldecr.com/?p=2038855",
     "estimate: existing 'Malaysia ionic-clay feed (Lynas partners)' 3,000 t REO/yr from 2027 (Lynas: HRE feed from Mt Weld and 'other sources in Malaysia', S31); with Laos (S101) it feeds the Malaysian heavy-REE candidate."),
    ("S101", "Laos: heavy-rich ionic clays; 3,000 t/yr refinery near Vientiane (MoU); Chinese miners active", "3,000", "t REO/yr",
     "Rawmaterials.net, Canada Rare Earth announces acquisition of a refinery in Laos, 2025",
     "https://rawmaterials.net/canada-rare-earth-announces-acquisition-of-a-refinery-in-laos/",
     "estimate: existing 'Laos ionic-clay mines' 2,000 t REO/yr (output not reported separately by USGS; below the refinery's 3,000 t size); ships to China or Malaysia."),
    ("S102", "Indonesian nickel refining: GEM 150 kt Ni/yr in Indonesia; Huayou 180 kt Ni in MHP", "150,000; 180,000", "t Ni/yr",
     "CF Mining Group (Cailian Press), 2025",
     "http://www.cfmininggroup.com/340.html",
     "estimate: existing 'Indonesia nickel sulphate (Obi)' 80,000 t Ni/yr (export-available sulphate from Indonesian refiners; most Indonesian nickel leaves as MHP or matte)."),
    ("S103", "Sumitomo Metal Mining Niihama refinery (nickel, cobalt)", "40,000 t Ni; 4,000 t Co", "t/yr",
     "Estimate (no public figure found in the stored sources)",
     "",
     "estimate: existing Sumitomo Niihama nickel 40,000 t Ni and cobalt 4,000 t Co per year; cobalt expansion candidate +3,000 t Co for 80 M USD (20 M + 20,000/t)."),
    ("S104", "Energy Fuels feed for White Mesa: Chemours (Florida/Georgia), Donald (Australia), Vara Mada (Madagascar)", "5,000 -> 30,000", "t REO/yr",
     "Metalnomist, Energy Fuels expands rare earth production, 2024; Energy Fuels BFS summary (Northern Miner), 2026",
     "https://metalnomist.com/2024/08/energy-fuels-expands-rare-earth.html",
     "estimate: existing 'Energy Fuels monazite supply' 5,000 t REO (2025) -> 10,000 (2028) -> 20,000 (2030) -> 30,000 (2032) as Donald and Vara Mada start; Phase 2 needs 40,000-60,000 t/yr of monazite (~30,000 t REO)."),
    ("S105", "Sojitz share of Japan's neodymium market (Lynas sole distributor since 2011)", ">70%", "share",
     "Reuters via Energy News, Japan's Sojitz imports heavy rare earths from Australia, 2025",
     "https://energynews.oedigital.com/mineral-resources/2025/10/30/japans-sojitz-imports-heavy-rare-earths-from-australia",
     "ShareCaps: China share of NdPr oxide to Japan users starts at 0.40 (China <=30-40% of Japan's Nd today) and NdPr feed to non-China magnet plants at 0.60."),
    ("S106", "Lynas and MP NdPr shipped to China in 2024 (China import data)", "Lynas 3,261 t; MP 232 t", "t NdPr",
     "The Rare Earth Observer, Special analysis of China's rare earth trade 2024, 2025",
     "https://treo.substack.com/p/special-analysis-of-chinas-rare-earth",
     "estimate: about half of Lynas' ~6,500 t NdPr (2024) went to China, so Lynas Malaysia availability to US/Japan buyers is set at 0.55."),
    ("S107", "REE distribution of the modelled ores (share of TREO recovered as NdPr / Dy+Tb / La+Ce)", "light 0.20/0-0.003/0.70; monazite 0.20/0.0102/0.60; ionic clay 0.18/0.04/0.30", "t per t REO",
     "Estimate from Nolans (S38: NdPr 26.4% of TREO), Energy Fuels BFS (S39: Dy+Tb/NdPr 5.1%), Mountain Pass/Bayan Obo bastnaesite (NdPr ~16-20%, La+Ce ~80%) and southern-China/Myanmar medium-Y ionic clays (Nd+Pr ~20-25%, Dy+Tb ~4-6%)",
     "https://www.arultd.com/projects/nolans/feasibility-study-update.html",
     "estimate: Processes sheet per_unit values for the four separation recipes, net of ~90% recovery; Y, Sm, Gd and other REE are not modelled. Also the La/Ce demand of Japan (8,000 t/yr: polishing, catalysts)."),
    ("S108", "Refining recoveries (MHP -> nickel sulphate; cobalt hydroxide -> cobalt sulphate)", "97%", "share",
     "Estimate (typical hydrometallurgical recoveries)",
     "",
     "estimate: Processes per_unit 0.97 for nickel and cobalt sulphate refining."),

    ("S109", "China NdFeB magnet exports May 2025", "1,238 t; -74% y/y; -52.9% m/m", "t", "Automotive World (WSJ analysis of China customs), Chinese rare earth exports collapsed 74% YoY in May, 2025", "https://www.automotiveworld.com/news/chinese-rare-earth-exports-collapsed-74-yoy-in-may/", "Value of China REE licensing risk: magnets at 26% of the year before in the worst month, so a partial cut (0.3 annualised), not a ban."),
    ("S110", "China magnet exports May 2025 by destination", "US 46.4 t (-93.3%); Japan -84.1%; Germany -70%", "t; change", "Ground News (summary of SCMP/Reuters reports), China's magnet exports to US slammed in May, 2025", "https://ground.news/article/chinas-rare-earth-magnet-export-volume-drops-to-a-decade-low", "US and Japan hit harder than average; magnet value rounded up from 0.25 to 0.3."),
    ("S111", "China magnet exports July 2025; Jan-Jul 2025", "5,577 t (+5.7% y/y); 27,897 t (-15%)", "t", "Reuters via Kitco, China's rare earth magnet exports hit six-month high in July, 2025", "https://www.kitco.com/news/off-the-wire/2025-08-20/chinas-rare-earth-magnet-exports-hit-six-month-high-july", "Acute phase ~3 months (Apr-Jun): duration 1 year in an annual model."),
    ("S112", "China REE export restriction to Japan", "21 Sep - 20 Nov 2010", "dates", "Global Trade Alert, China: temporary export restrictions on rare earth minerals to Japan, 2010", "https://www.globaltradealert.org/state-act/2092/china-temporary-export-restrictions-on-rare-earth-minerals-to-japan", "Episode count (1 of 2 flow-cutting REE episodes in 2010-2025) and acute length ~2 months."),
    ("S113", "China REE export quota 2006 -> 2010 -> 2011", "61,560 -> 30,259 -> 30,184", "t", "Japan Metal Bulletin, Japan joins USA, EU to fight against China rare earth export quota, 2012", "http://www.japanmetalbulletin.com/?p=20073", "Quota-regime risk: value 0.4 on NdPr and Dy/Tb, duration 4 (until the 2014 WTO ruling)."),
    ("S114", "China H2-2010 REE export quota cut", "-72%", "change", "FierceWireless (NYT/WSJ), Japan pushes China on rare earth ban, 2010", "https://www.fiercewireless.com/europe/japan-pushes-china-rare-earth-ban", "Quota-regime severity (0.4 = multi-year average, estimate)."),
    ("S115", "2010 embargo length; WTO ruling against China's REE restrictions", "~2 months; 2014", "dates", "Newzino, US critical minerals domestic supply (2010 case), 2025", "https://newzino.com/story/us-critical-minerals-domestic-supply", "Duration of the quota regime (2010-2014)."),
    ("S116", "China bans REE extraction/separation/magnet technology exports; Ga/Ge permits Aug 2023; graphite permits 1 Dec 2023", "21 Dec 2023", "policy", "Reuters via The Straits Times, China bans export of rare earth processing technology, 2023", "https://www.straitstimes.com/asia/east-asia/china-bans-export-of-rare-earth-processing-technology-citing-national-security", "Episode list behind p = 0.15/yr."),
    ("S117", "China bans Ga, Ge, Sb, superhard materials exports to the US", "3 Dec 2024", "policy", "AP via Atlanta Journal-Constitution, China bans exports to US of gallium, germanium, antimony, 2024", "https://www.ajc.com/news/nation-world/china-bans-exports-of-gallium-and-other-key-high-tech-materials-hitting-back-at-us-chip-sanctions/G4PEB5PLRVB5ZNUUDLVATK6RZM/", "Episode list behind p."),
    ("S118", "Oct 9 2025 REE controls suspended for one year after Trump-Xi meeting", "1 year", "policy", "NDTV Profit (Bloomberg), China to suspend rare earth export controls after Trump-Xi meeting, 2025", "https://www.ndtvprofit.com/world/china-to-suspend-rare-earth-export-controls-after-trump-xi-meeting", "Truce lowers near-term p; risks start 2026."),
    ("S119", "China Dy and Tb exports May 2025; Ga/Ge 2023 exports stopped ~2 months", "0 kg", "t", "Rawmaterials.net, Chinese exports of terbium and dysprosium plummet to zero in May, 2025", "https://rawmaterials.net/rare-earths-chinese-exports-of-terbium-and-dysprosium-plummet-to-zero-in-may/", "Dy/Tb value 0.6 (higher than magnets)."),
    ("S120", "China Dy, Tb exports full-year 2025; Dy to Japan", "Dy -35%, Tb -38%; Japan -95%", "change", "Rawmaterials.net, Exports of dysprosium and terbium decline sharply in 2025, 2026", "https://rawmaterials.net/exports-of-dysprosium-and-terbium-decline-sharply-in-2025-as-destination-markets-shift", "Dy/Tb value 0.6 = between the global -36% and Japan's -95%."),
    ("S121", "NdPr oxide price change 2023; Pr oxide 2023", "-38%; -34%", "change", "Reuters (SMM) via Mining Europe, Anticipated surge in rare earths metal prices, 2024", "https://miningeurope.news/anticipated-surge-in-rare-earths-metal-prices-expected-this-year/", "Price-war value 0.6 (cost multiplier)."),
    ("S122", "PrNd oxide price March 2022 (peak)", "1.05-1.11 M", "CNY/t", "Shanghai Metals Market, Rare earth prices dropped for the first time since entering 2022, 2022", "https://news.metal.com/newscontent/101774778/rare-earth-prices-dropped-for-the-first-time-since-entering-2022-supply-shortage-remains", "Peak of the 2022-24 slump."),
    ("S123", "NdPr oxide June 2024", "384,800 CNY/t (Northern RE guide); $51-53/kg fob China", "CNY/t; USD/kg", "Fastmarkets, Chinese rare earth prices continue to fall amid low demand, 2024", "https://fastmarkets.com/insights/chinese-rare-earth-prices-continue-to-fall-amid-low-demand", "Trough of the 2022-24 slump (~-65% from peak)."),
    ("S124", "Rare earth price collapse 2022-24", "~70% in two years", "change", "MMTA (Fastmarkets opinion), Why have rare earth prices fallen?, 2024", "https://mmta.co.uk/why-have-rare-earth-prices-fallen/", "Slump duration ~2 years."),
    ("S125", "2011 rare earth bubble and bust; Molycorp Chapter 11", "2011 peak; June 2015", "dates", "Reuters (A. Home), So is that it for the rare earths market?, 2015", "http://www.reuters.com/article/us-rareearths-china-ahome-idUSKCN0PA1RE20150701", "Second slump (2011-15) -> 2 slumps in 15 years, p = 0.12-0.13/yr."),
    ("S126", "EV sales 2030 by IEA scenario; clean-energy mineral demand 2030", "STEPS ~45 M, APS ~50 M, NZE 70 M; x2 STEPS/APS, ~x3 NZE", "vehicles; index", "IEA, Global Critical Minerals Outlook 2024: Outlook for key minerals, 2024", "https://origin.iea.org/reports/global-critical-minerals-outlook-2024/outlook-for-key-minerals", "Demand-surge value 1.25: NZE/STEPS ~1.5 on the EV+wind share (~40%, estimate)."),
    ("S127", "Magnetic REE demand 2022 -> 2035; share recycled; EU recycling ambition", "59 kt -> 176 kt; <1%; ~25% by 2030", "t; share", "Investing News Network (McKinsey July 2025), Cyclic Materials on turning scrap into supply, 2025", "https://investingnews.com/cyclic-materials-rare-earths-recycling", "Demand-surge cross-check (3x vs 2.3x base = 1.3); Scrap collection ceiling ~25%."),
    ("S128", "DRC 2024 cobalt output; quotas", "220,000 t; ~18,000 t rest of 2025; 96,600 t 2026 and 2027", "t Co", "The Northern Miner (BMO), DRC to impose cobalt export quotas, 2025", "https://secure.northernminer.com/news/drc-to-impose-cobalt-export-quotas/1003882819", "Quota cut 1 - 96,600/220,000 = 0.56; vs example capacity 130,000: 0.26."),
    ("S129", "DRC cobalt export ban dates; 2026-27 base quota", "22 Feb - 15 Oct 2025; 87,000 t (7,250 t/month)", "dates; t Co", "Fastmarkets, Cobalt export quotas: DRC sets limits to rebalance global supply, 2025", "https://www.fastmarkets.com/insights/drc-cobalt-export-quotas-2025", "Ban year ~0.8 cut (7.8 months banned, Q4 quota barely shipped)."),
    ("S130", "DRC concentrate export bans ordered 2010 and 2013 (delayed); attempts 2007", "3 orders, none enforced", "policy", "Bloomberg, Congo delays copper, cobalt concentrate export ban, 2013; Mining News Zambia, 2013", "https://www.bloomberg.com/news/articles/2013-07-11/congo-delays-copper-cobalt-concentrate-export-ban", "DRC ban probability 0.08/yr (1 enforced + 3 threats in ~19 years)."),
    ("S131", "Indonesia nickel ore export ban 2014, relaxed 2017, re-imposed Jan 2020", "3 yr first ban", "policy", "Roskill, Nickel: Indonesia re-imposes ban on nickel ore exports, 2019", "https://roskill.com/news/nickel-indonesia-re-imposes-ban-on-nickel-ore-exports/", "Ore bans raised Indonesian MHP/NPI; not used as an MHP cut."),
    ("S132", "Indonesia ore ban brought forward to immediate effect", "28 Oct 2019; ~10% of world nickel ore", "date; share", "EIU, Investment chief brings forward nickel ore export ban, 2019", "http://country.eiu.com/article.aspx?articleid=908604074&Country=Indonesia&topic=Economy&subtopic=Forecast&subsubtopic=Policy+trends", "Warning 0 (policy moved earlier at no notice)."),
    ("S133", "Indonesia 2026 RKAB nickel ore quota vs 2025 and demand", "260-270 Mt vs ~379 Mt used in 2025; demand 320-330 Mt", "wmt", "Mysteel, Indonesia nickel supply tightness looms as policy discipline takes hold, 2026", "https://www.mysteel.net/analysis/5113317-indonesia-nickel-supply-tightness-looms-as-policy-discipline-takes-hold", "Capacity multiplier 265/325 = 0.82 on Indonesian HPAL (2026 as Capacity, recurrences as risk)."),
    ("S134", "Indonesia 2026 RKAB under consideration (Bloomberg via APNI)", "~250 Mt (-34% vs 2025)", "wmt", "Shanghai Metals Market, SMM Analysis: 250M ton RKAB quota gamble, 2025", "https://news.metal.com/newscontent/103686533/【SMM-Analysis】250M-Ton-RKAB-Quota-Gamble:-Is-Indonesia-About-to-Break-the-Global-Nickel-Market", "Supports the 0.82 capacity multiplier and p = 0.2/yr for quota shocks."),
    ("S135", "US permanent magnets reaching end of life; share recycled", ">43,000 t/yr; <1%", "t; share", "Nature News Africa, Cyclic partners with recyclers... domestic rare earth supply chain, 2025", "https://naturenews.africa/amp/cyclic-partners-with-recyclers-waste-generators-and-others-to-build-domestic-rare-earth-supply-chain", "estimate: US EOL magnets 20,000 t (2025) growing 8%/yr to 43,200 t (2035); collectable 3% -> 23%."),
    ("S136", "Japan domestic neodymium waste forecast", "3,866-4,217 t Nd/yr by 2050", "t Nd", "J. Material Cycles and Waste Management 23(6) (via Peeref), Scenario assessment of neodymium recycling in Japan, 2021", "https://peeref.com/works/22614069", "estimate: Japan EOL magnets 8,000 t (2025) +3%/yr (= ~3,850 t Nd in 2050 at 23% Nd)."),
    ("S137", "Japan magnets recyclable from air conditioners and washing machines", "~400 t/yr", "t magnet", "Japan Metal Bulletin, Mitsubishi Materials develops new recycling system of rare earth magnet, 2010", "http://www.japanmetalbulletin.com/?p=4681", "Cross-check of the Japan 2025 collectable pool (800 t)."),
    ("S138", "Rare earth magnets recovered; EOL magnet supply (Noveon estimate)", "<1%; ~600,000 t", "share; t", "Recycling Today, Noveon targets rare earth magnet production with recycled inputs, 2023", "https://recyclingtoday.com/news/noveon-targets-rare-earth-magnet-manufacturing-using-recycled-material/", "Low starting collection share (3% in 2025)."),
    ("S139", "US plug-in vehicle sales 2011-2016", "17.8k, 53.2k, 97.1k, 118.9k, 114.0k, 159.6k", "vehicles", "US DOE VTO, Fact #974: plug-in vehicle sales increased 40% in 2016, 2017", "https://www.energy.gov/eere/vehicles/fact-974-april-24-2017-plug-vehicle-sales-increased-40-2016", "estimate: battery scrap = sales lagged 10-14 years x content (S82)."),
    ("S140", "US plug-in vehicle sales 2020, 2021", "308k; 608k", "vehicles", "US DOE VTO, FOTW #1227, 2022", "https://www.energy.gov/eere/vehicles/articles/fotw-1227-february-28-2022-light-duty-plug-electric-vehicle-sales-united", "Battery scrap 2030-35."),
    ("S141", "US plug-in sales 2023; market shares 2017-2022", "1,402,371; 1.13%, 2.1%, 1.9%, 2.2%, 4.0%, 6.8%", "vehicles; share", "Wikipedia (mirror), Plug-in electric vehicles in the United States, 2024", "https://sagapedia.com/en/Plug-in_electric_vehicles_in_the_United_States", "estimate: 2017-19, 2022 sales = share x ~17 M / ~14 M light-vehicle sales."),
    ("S142", "US battery recycling feed today mostly manufacturing scrap", "qualitative", "-", "ICCT, Will the U.S. EV battery recycling industry be ready for millions of end-of-life batteries?, 2023", "https://theicct.org/us-ev-battery-recycling-end-of-life-batteries-sept23/", "Battery scrap rows exclude manufacturing scrap, so they understate near-term feed."),
    ("S143", "Lynas residue accumulated at Kuantan; government stance", "451,564 t WLP; 1.113 Mt NUF; 'no unlimited accumulation'", "t", "Malay Mail (MESTECC statement), No unlimited storage of waste for Lynas, says ministry, 2018", "https://www.malaymail.com/news/malaysia/2018/12/04/no-unlimited-storage-of-waste-for-lynas-says-ministry/1699974", "Cross-check of WLP intensity; basis of the Malaysia EnvLimits row."),
    ("S144", "Lynas residue per t REO (Radioactive Waste Management Plan)", "WLP 2.85; NUF 7.93; FGD 2.63", "t per t REO", "Malay Mail (SMSL citing Lynas RWMP), Despite recycling, group insists Lynas must have fixed waste site, 2018", "http://www.themalaymailonline.com/malaysia/article/despite-recycling-group-insists-lynas-must-have-fixed-waste-site", "Environment: heavy-circuit separation cracking in Malaysia: radioactive 2.6, waste 9.5 per t REO fed (x0.903)."),
    ("S145", "WLP residue radioactivity", "~6 Bq/g Th", "Bq/g", "Lynas Rare Earths, LAMP residue management plan and permanent disposal facility, n.d.", "https://www.lynascorp.com/Pages/Residue-Management.aspx", "WLP counted as radioactive_waste_t (very low level)."),
    ("S146", "Lynas licence conditions 2019-2020 (C&L abroad before July 2023; no NORM imports after; PDF)", "conditions", "policy", "Malay Mail, Lynas receives three-year extension on operating licence, 2020", "https://www.malaymail.com/news/malaysia/2020/02/27/lynas-receives-three-year-extension-on-operating-licence/1841444", "Malaysia EnvLimits row: radioactive_waste_t -> 0."),
    ("S147", "Lynas licence 3 Mar 2023 - 3 Mar 2026; four conditions kept", "3 years", "policy", "Malay Mail, Mosti: Lynas's renewed licence to be revoked if four conditions not fulfilled, 2023", "https://www.malaymail.com/news/malaysia/2023/02/15/mosti-lynass-renewed-licence-to-be-revoked-if-four-conditions-not-fulfilled-by-july/55077", "Licence timeline."),
    ("S148", "Licence amended: concentrate import and C&L until Mar 2026 if thorium extracted; R&D 1% of sales", "Oct 2023", "policy", "Asia News Channels (Reuters), Malaysia extends Lynas rare earths license to 2026, 2023", "https://asianewschannels.com/latest/malaysia-extends-lynas-rare-earths-license-2026", "EnvLimits: 2026 allowance = 2/12 of a year of C&L."),
    ("S149", "Lynas Malaysia licence renewed", "10 years from 3 Mar 2026", "policy", "The Star, Lynas Malaysia secures 10-year operating licence renewal, 2026", "https://www.thestar.com.my/news/nation/2026/03/02/lynas-malaysia-secures-10-year-operating-licence-renewal", "Plant continues to 2035; the C&L prohibition is assumed to stay."),
    ("S150", "Kalgoorlie processing facility opened; MREC feed for NdPr", "Nov 2024; 9,000 t/yr NdPr", "t NdPr", "SEAISI (Kallanish), Lynas opens Australia's first rare earths processing plant, 2024", "https://seaisi.org/details/25722?type=news-rooms", "Kuantan feed beyond 45,000 t REO would need Malaysian C&L -> EnvLimits binds."),
    ("S151", "Bayan Obo-type processing per t REO (Chinese Society of Rare Earths)", "9,600-12,000 m3 waste gas; ~75 m3 acidic wastewater; ~1 t radioactive residue", "per t REO", "Wikipedia (mirror), Bayan Obo Mining District, 2024", "https://wikisum.wiki/wiki/Bayan_Obo_Mining_District", "Environment: light-ore separation radioactive 0.9, water 68 per t REO fed."),
    ("S152", "Mountain Pass: water from recycled sources; dry tailings; separation line", "~95%; filtered dry stack; 20,000 t TREO/yr", "share; t", "Adamas Intelligence, October site visit: MP Materials' Mountain Pass, 2022", "https://www.adamasintel.com/mountain-pass-visit-october-2022/", "Lower MP intensities if the light-ore process is split by site."),
    ("S153", "Ammonia-N in soil after in-situ ammonium sulphate leaching (Ganzhou)", "12-40x pre-mining, 12 yr after closure; pH 3.9-4.9", "ratio", "FAO AGRIS (Zhang et al.), Ammonia nitrogen sources and pollution along soil profiles in an in-situ leaching rare earth ore, 2020", "https://agris.fao.org/search/ru/records/65df9cf90f3e94b9e5da891e", "Ionic-clay upstream impact (qualitative; mine stage)."),
    ("S154", "Kwinana LiOH by-products", "7 t aluminosilicate; >10 t by-products per t LiOH", "t/t LiOH", "Tianqi Lithium Energy Australia, WA's first lithium plant boosts green credentials, 2023", "https://tlea.com.au/lithium-plant-boosts-green-credentials", "Environment: lithium refining waste 1.4 t per t SC6 (x0.14)."),
    ("S155", "Kemerton tailings at 5 trains", "1.1 Mt/yr for 100 kt LiOH", "t/yr", "NS Energy, Kemerton lithium plant environmental approval, 2018", "https://nsenergybusiness.com/?p=198994", "Cross-check: 11 t/t LiOH."),
    ("S156", "LiOH.H2O carbon footprint (Rock Tech Guben LCA)", "10.5 kg CO2e/kg; converter energy 4.3; mining 3.8; shipping 0.7", "kg CO2e/kg", "Fraunhofer UMSICHT, LCA of battery-grade lithium, 2023", "https://umsicht.fraunhofer.de/en/press-media/press-releases/2023/lca-of-battery-grade-lithium.html", "Environment: lithium refining CO2 0.6 t per t SC6 (4.3 x 0.14)."),
    ("S157", "Spodumene-based lithium chemicals in China", "13.9 t CO2e/t Li2CO3 (plants 6.3-36.8)", "t CO2e/t", "Liu et al., ACS Sustainable Chem. Eng. (via Scimage), Carbon footprint of battery-grade lithium chemicals in China, 2024", "https://www.scimage.cn/artwork/3914.html", "Chinese converters ~1.3 t CO2 per t SC6 (high case)."),
    ("S158", "Ramu HPAL nameplate: ore and nickel", "3.4 Mt dry ore; 32,600 t Ni", "t/yr", "Tok Pisin Info, Ramu Nickel Project, 2017", "https://tokpisin.info/ramu-nickel-project/", "estimate: HPAL tailings ~120 t per t Ni (104 t ore + ~15% neutralisation solids)."),
    ("S159", "GHG intensity of Indonesian nickel routes", "RKEF 54; HPAL 20", "t CO2e/t Ni", "Whitepaper, Decarbonizing the nickel industry in Indonesia (via fxbaogao), 2024", "https://fxbaogao.com/detail/4370432", "Memo row: Indonesian HPAL (MHP) CO2 20 t per t Ni."),
    ("S160", "Indonesian listed nickel producers' GHG intensity", "29 (hydro) to 57-70", "t CO2/t Ni", "IEEFA, Indonesia's nickel companies need renewable energy, 2024", "https://ieefa.org/resources/indonesias-nickel-companies-need-renewable-energy-amid-increasing-production", "Upper bound for coal-powered Indonesian nickel."),
    ("S161", "Magnet life-cycle impacts dominated by REE production", "50-99.9%", "share", "Marx et al., ACS Sustainable Chem. Eng. 6(5) (FZ Juelich record), Comparative LCA of NdFeB permanent magnet production, 2018", "https://juser.fz-juelich.de/record/845064/export/hx?ln=en", "Magnet-making intensities small relative to separation; CO2 14 t per t NdPr fed is an estimate."),
    ("S162", "Recycled REE vs mining", "95% less water; ~60% fewer emissions", "share", "Gokawiil (MIT Technology Review climate list), Cyclic Materials, 2025", "https://gokawiil.com/article/163005", "Recycler intensities if added (~0.4 x primary CO2)."),
    ("S163", "Indonesia does not permit deep-sea tailings placement for HPAL", "on-land storage", "policy", "Min-Met, More nickel HPAL processing plants being built in Indonesia, 2023", "https://min-met.com/blog/more-nickel-hpal-processing-plants-being-built-in-indonesia/", "HPAL tailings counted as waste_t on land."),
    ("S164", "White Mesa Mill processes monazite under radioactive materials licence", "UT1900479", "licence", "Uranium Watch letter to Utah DWMRC, Request for meeting regarding White Mesa Mill rare earth processing, 2024", "https://lf-public.deq.utah.gov/WebLink/DocView.aspx?dbid=0&id=475984&repo=Public", "Monazite residues (Th/Ra) go to licensed tailings; radioactive_waste_t 0.4 per t REO fed is an estimate."),
    ("S165", "Cap on Kuantan's radioactive residue (EnvLimits)", "64,350", "t/yr", "Derived from S144, S146-S150 and the example's Facilities", "", "estimate: 45,000 t REO/yr of Kalgoorlie feed x 2.6 t residue per t REO fed = 117,000 t/yr, times 0.55 (Kuantan's availability in the example: the part of its output sold to the US and Japan) = 64,350 t/yr from 2027; a proxy for the rule 'no cracking and leaching in Malaysia', which sets no tonnage."),
    ("S167", "Nd oxide (99.5%) annual average price 2020-2024; 2025 spot points", "49, 98, 134, 78, 56; ~47 (Mar) to ~88 (Aug) 2025", "USD/kg", "USGS, Mineral Commodity Summaries 2025: Rare Earths (Argus data), 2025; Reuters (E. Onstad) via tradingstocksnow, 2026", USGS_REE, "Prices 'NdPr oxide' 2025: 70,000 USD/t (estimate: the 2025 spot points time-weighted by eye, 65-75 $/kg; docs/research/sources-2026-12.md A.1)."),
    ("S168", "NdPr oxide 2026 average price forecast", "90,000", "USD/t", "Creamer Media (BMI, Fitch Solutions), NdPr oxide price forecast to rise to $90 000/t this year, 2026", "https://newsletter.mw.creamermedia.com/article/ndpr-oxide-price-forecast-to-rise-to-90-000t-this-year-report-2026-02-02", "Prices 'NdPr oxide' 90,000 USD/t from 2026, held flat in real terms to 2035 (estimate: no later forecast found; Adamas' ~150 $/kg 'incentive price' is what new supply needs, not a forecast)."),
    ("S169", "NdFeB magnet price: NdPr share of a magnet; ex-China premium", "NdPr ~1/3 of a finished magnet; +$10-30/kg outside China", "share; USD/kg", "Fastmarkets, 2024; Reuters via Financetom, Rare earth magnet users jolted into paying premium prices for ex-China supply, 2025", "https://www.financetom.com/business/insightrare-earth-magnet-users-jolted-into-paying-premium-prices-for-exchina-supply-395248.htm", "estimate: Prices 'NdFeB magnet' = 0.5 x NdPr $/kg + 20 $/kg ex-China premium: 55,000 USD/t in 2025, 65,000 from 2026 (no authoritative magnet price series exists)."),
    ("S170", "Dy oxide and Tb oxide FOB China export prices, Jan 2026", "Dy 271-311; Tb 1,130-1,168", "USD/kg", "SMM Rare Earth Overseas Weekly, 2026", "https://news.metal.com/en/newscontent/103748690-Overseas-Pr-Nd-offers-surged-rapidly-countries-accelerated-rare-earth-mine-development-SMM-Rare-Earth-Overseas-Weekly-Re", "estimate: Prices 'Dy/Tb oxide' 500,000 USD/t = 0.75 x 291 + 0.25 x 1,149 $/kg (3:1 Dy:Tb, the weighting an assumption); Europe paid ~3x that in mid-2025 (Benchmark)."),
    ("S171", "REE concentrate prices against the NdPr oxide price", "S18 quotes at PrNd 555,000 CNY/t (~78 $/kg)", "USD/t REO", "Derived from S18 and S167-S168", "", "estimate: Prices for the light and monazite-xenotime concentrates scaled with the NdPr path (their payables track an NdPr-led oxide basket): light 5,600 -> 7,300, monazite-xenotime 11,200 -> 14,400 USD/t REO (2025 -> 2026 on). Ionic-clay concentrate, whose value is in its heavy rare earths, stays at its S18 price."),
    ("S172", "Lithium hydroxide and spodumene price forecasts; 2025-26 rebound", "LiOH 15,870 (2024), 18,393 (2025), 15,394 (2029); SC6 1,210 (2029); Benchmark lithium index x2 Dec 2025-May 2026", "USD/t", "Australian DISR Resources and Energy Quarterly (via Stockhead), 2023; Benchmark Mineral Intelligence, 2026", "https://stockhead.com.au/resources/monsters-of-rock-canberra-takes-a-bright-red-pen-to-nickel-and-lithium-earnings-forecasts/", "Prices: LiOH 10,000 (2025 trough, S81) -> 15,000 (2026, estimate after the rebound) -> 15,400 from 2029 (DISR); SC6 900 -> 1,200 -> 1,210 (2029, DISR)."),
    ("S173", "Discount rates of mining projects", "100 projects avg 7.18% (8.36% without 5% users); base metals 10%, speciality metals +2-3%", "1/yr", "Ovalle, Analysis of the discount rate for mining projects, MassMin 2020 (ACG); CIM Magazine (Gosson & Wood), 2013", "https://magazine.cim.org/en/standards/discount-rates-and-net-present-value/", "Settings commercial_rate 0.10 (real): a private producer's cost of capital for plants' capital charge and margins at market prices (first-of-a-kind ex-China REE plants 10-12%: docs/research E)."),
    ("S174", "Concessional state lending terms", "DOE LPO: long-dated UST + 0%, ~23 yr; EXIM: CIRR = UST + 100 bp, 15 yr; DoD to MP: 10-yr UST + 1%, 12 yr", "rate; yr", "ChemAnalyst, Lithium Americas receives first $435m tranche from DOE, 2025; EXIM, About CIRR rates; MP Materials 8-K (StockTitan), 2025", "https://www.chemanalyst.com/NewsAndDeals/NewsDetails/lithium-americas-receives-first-435m-tranche-from-doe-39692", "estimate: real loan rates = nominal less ~2.25% inflation with UST ~4.25%: DOE/OSC 0.02, EXIM/DFC/EFA 0.03 (DFC, EFA and OSC rates are not public: taken as CIRR or DOE)."),
    ("S175", "DOE loan to Thacker Pass (Lithium Americas)", "USD 2.23 bn; 40,000 t/yr Li2CO3", "USD", "ChemAnalyst, 2025 (S174); SME, 2024", "https://me.smenet.org/webContent.cfm?context=1&webarticleid=4675", "Support 'DOE LPO loan: US lithium hydroxide refinery': rate 0.02, 23 years, up to 75% of capex (estimate: the Thacker Pass loan against its ~USD 3 bn phase 1, not sourced here)."),
    ("S176", "Japan: FY2024 supplementary budget for mineral supply-chain diversification; 50% of the Alcoa-Sojitz gallium project", "JPY 92.2 bn; 50%", "JPY; share", "Japan Metal Daily, 2024; Manufacturers' Monthly, Critical minerals framework signed between Australia and U.S., 2025", "https://www.japanmetaldaily.com/articles/-/228966", "Support 'Japan grant' rows: capex_grant of up to 50% of capex (the gallium precedent) to the Japan-funded candidates, each at most JPY 92.2 bn = 623 M USD a year; Japan's Budgets row caps them together in market mode."),
    ("S177", "JOGMEC/Sojitz (JARE) loan to Lynas", "2.5% p.a. (cut from 3.75%), to June 2030; USD 250 M loan and equity 2011", "rate", "Mining Weekly, Lynas extends JARE debt, 2019; Sojitz, 2022", "https://www.miningweekly.com/print-version/lynas-extends-jare-debt-2019-06-27", "Support 'JOGMEC/JARE loan: Lynas heavy-REE': rate 0.0025 (2.5% nominal less inflation, S174), 10 years, up to 30% of capex (estimate: USD 250 M against the ~USD 800 M first Lynas plant)."),
    ("S178", "EXIM letters of interest to Australian projects (Arafura, Northern Minerals, VHM, ...); Tanbreez LOI 15-yr", "7 LOIs > USD 2.2 bn; 15 yr", "USD; yr", "Creamer Media, US-Australia sign critical minerals pact, 2025; SMM, 2025", "https://newsletter.mw.creamermedia.com/article/us-australia-sign-critical-minerals-pact-commit-2bn-to-boost-supply-security-2025-10-21", "Support 'EXIM loan: Arafura Nolans' (rate 0.03, 15 years, up to 30% of capex: ~USD 300 M the US is considering, docs/research B.4) and 'DFC loan: Thailand magnet plant' (same terms, estimate: DFC rates are not public)."),
    ("S179", "Iluka Eneabba: Critical Minerals Facility loan", "A$1.65 bn non-recourse, 16 years; capex A$1.7-1.8 bn", "A$", "SmallCaps, 2022; Mining Magazine, 2024 (S36)", "https://smallcaps.com.au/iluka-resources-board-go-ahead-eneabba-rare-earths-refinery/", "The loan is lent: Eneabba is a committed build, not a candidate the loan could bring about, so the Support sheet offers it no loan (offers on committed builds: issue 33); rate 0.03 (not public, S174), 16 years."),
    ("S180", "OSC conditional loan to Vulcan Elements; Commerce incentives", "USD 620 M of USD 918 M; USD 50 M + 50 M", "USD", "PR Newswire (Vulcan Elements), 2025 (S41); DoW release, 2025", "https://www.war.gov/News/Releases/Release/Article/4339788/office-of-strategic-capital-agrees-to-joint-700m-conditional-loan-commitment-wi", "Support 'OSC loan: Vulcan Elements': rate 0.02 (S174), 15 years (estimate), up to 67.5% of capex (620 / 918)."),
    ("S181", "DoD Defense Production Act awards: Lynas Texas light-REE plant half-funded; Electra cobalt grant", "USD 30.4 M (50%); USD 20 M", "USD", "Kallanish, 2022; SME, 2024", "https://www.smenet.org/newsarticle?articleID=4843", "Support 'DoD DPA grant: US magnet-to-magnet recycling': capex_grant of up to 50% (the Lynas Texas precedent), at most 200 M USD a year (estimate: OBBBA's USD 1 bn DPA line, S63, over five years)."),
    ("S182", "Iluka Eneabba refinery: jobs; capacity", "~270 jobs; 17,500 t/yr REO", "jobs; t/yr", "Government of Western Australia, Australia's first integrated rare earths refinery, 2022", "https://wa.gov.au/government/announcements/australias-first-integrated-rare-earths-refinery", "Processes jobs_per_kt 15 per kt/yr REO fed for the four REE separation routes (270 / 17.5 = 15.4; Lynas Kalgoorlie 13, Mountain Pass 13, Lynas Malaysia 2011 plan 16: docs/research C)."),
    ("S183", "Magnet plants: MP Independence ~150 jobs for ~1,000 t/yr; MP 10X >1,500 for 10,000 t/yr; Neo Narva ~400 for 2,000 t/yr", "150-200 jobs per kt/yr NdFeB", "jobs", "Industrial Heating, 2022; Plant Services, 2026; ERR (Estonian news), 2025", "https://www.plantservices.com/industry-news/news/55361522/mp-materials-to-build-125-billion-rare-earth-magnet-expansion", "Processes jobs_per_kt 420 per kt/yr NdPr fed for magnet making (150 per kt of magnet x 2.8 t magnet per t NdPr)."),
    ("S184", "Albemarle Kemerton: operational staff for 50 kt/yr LiOH", ">480", "jobs", "Austrade, Albemarle invests $1 billion in lithium hydroxide project expansion, 2023", "https://international.austrade.gov.au/en/news-and-analysis/success-stories/albemarle-invests-1-billion-in-lithium-hydroxide-project-expansion", "Processes jobs_per_kt 1.3 per kt/yr SC6 fed for lithium refining (480 / 50 kt LiOH = 9.6 per kt LiOH x 0.14 t LiOH per t SC6)."),
    ("S185", "Electra cobalt refinery (Ontario): jobs; capacity", "60; 6,500 t/yr Co", "jobs; t/yr", "Madras Tribune (Mayor of Temiskaming Shores), 2024; SME, 2024", "https://madrastribune.com/2024/08/20/north-bay-news-pentagon-funds-cobalt-refinery-plant-expansion-south-of-temiskaming-shores", "Processes jobs_per_kt 9 per kt/yr Co for cobalt refining; the same 9 per kt/yr Ni for nickel sulphate refining is an unsupported estimate (no nickel refinery headcount found)."),
    ("S186", "DoD offtake of MP's 10X magnet output", "100% of output for 10 years at cost plus 25% of EBITDA; EBITDA floor USD 140 M/yr", "terms", "MP Materials 8-K (StockTitan), 2025", "https://www.stocktitan.net/sec-filings/MP/8-k-mp-materials-corp-reports-material-event-09e507ca127b.html", "estimate: Support 'DoD magnet offtake (10X terms): Vulcan Elements': an offtake of up to all its magnets at 90,000 USD/t, a fixed price standing for cost-plus (materials ~39 $/kg at NdPr 90 and Dy/Tb 500, conversion ~37 $/kg, a margin; above the ~65 $/kg market, S169)."),
    ("S187", "REE separation, 2024: world mine output (all of it separated); China's share of separation; China's separation quota and imported feed", "world 390,000 t REO; China 91%; quota 254,000 t + imports (US 43,000, Burma 31,000, Nigeria 13,000, Thailand 13,000, Madagascar 2,000 t REO)", "t REO/yr; share", "USGS, Mineral Commodity Summaries 2025: Rare Earths, Jan 2025; IEA commentary 'With new export controls on critical minerals, supply concentration risks become reality', 23 Oct 2025 (via Rare Earth Exchanges, 24 Oct 2025); MIIT 2024 quotas (Reuters via Energy News, 20 Aug 2024)", "https://rareearthexchanges.com/news/the-mineral-chessboard-iea-sounds-alarm-as-china-tightens-its-grip", "World 'REE separation' 2025: world 390,000, china 355,000 t REO fed/yr (0.91 x 390,000; cross-check: 254,000 t quota + ~103,000 t of imported ores that USGS estimates from China's import data = ~357,000). Output stands for capacity: China's separation is capped by quota, not by plant size. USGS 2024 figures stand for 2025 (MCS 2026 not read)."),
    ("S188", "REE refining projections (IEA base case): China's share 2030; 2035; supply from operating and announced projects", "77% (2030, GCMO 2024); 76% (2035, GCMO 2025); mined magnet-REE supply +44% 2023->2030, +8% 2030->2040", "share; growth", "IEA, Global Critical Minerals Outlook 2024 (via SEAISI, 3 Jun 2024, and Wayen, 2024); IEA, Global Critical Minerals Outlook 2025 (via Rare Earth Exchanges, Jun 2025)", "https://seaisi.org/details/24787?type=news-rooms", "Projections: World 'REE separation' world 541,000 (2030: USGS 2023 world 376,000 x 1.44) and 563,000 t REO (2035: +4%, half the 2030-40 growth); china 417,000 (77%) and 428,000 (76%); straight lines between. May count the workbook's own candidates (e.g. Iluka Eneabba) a second time: the IEA base case includes announced projects. 2035 share: https://rareearthexchanges.com/?p=6972"),
    ("S189", "Rare earth permanent magnet output: China 2023; 2024 (expected); China's share of permanent-magnet manufacturing", "240,000 t (2023); 260,000 t (2024e); 94%", "t NdFeB/yr; share", "Shanghai Metals Market (SMM), NdFeB production to continue rising in 2024, 5 Jun 2024; IEA commentary, 23 Oct 2025 (via Rare Earth Exchanges, S187)", "https://news.metal.com/newscontent/102788751/smm-ndfeb-production-to-continue-rising-in-2024-outlook-for-rare-earth-demand-in-automobiles-wind-power-and-home-appliances", "World 'Magnet making' 2025: china 92,900 t NdPr oxide fed/yr (260,000 t / 2.8 t magnet per t NdPr, the example's recipe), world 98,800 (china / 0.94). Cross-check: China's 2024 NdPr ~45,000 t from quota ore + ~20,000 t from imported ore (Metalnomist, Aug 2024) + 26,500 t recycled (Argus, 2025) = ~92,000 t. estimate: no projection of magnet capacity by country was found, so both rows hold their 2025 value to 2035 (the plan's builds are the only growth counted)."),
    ("S190", "Lithium, 2024: world production; China's share of refining (and of hard-rock conversion)", "240,000 t Li (+18% on 2023); 70% (95% of hard-rock processing)", "t Li/yr; share", "USGS, Mineral Commodity Summaries 2025: Lithium, Jan 2025; IEA, Global Critical Minerals Outlook 2025 (via Argus, 21 May 2025)", "https://www.argusmedia.com/es/news-and-insights/latest-market-news/2690734-iea-warns-of-lithium-and-copper-deficits-by-2035", "World 'Lithium refining' 2025: world 10,360,000, china 7,250,000 t SC6 fed/yr = t Li / 0.02316 (the example's recipe: 0.14 t LiOH.H2O per t SC6 x 16.54% Li). Mine output stands for refined output; brine-based chemicals (Chile, Argentina) are counted as SC6-equivalent because the published share is of all lithium chemicals. USGS: https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-lithium.pdf"),
    ("S191", "Lithium projections (IEA base case): China's refining share 2030, 2035; 2035 demand (STEPS) and mined-supply gap", "62% (2030); 'more than 60%' (2035); 3.7 Mt LCE; 40% short", "share; t LCE", "IEA, Global Critical Minerals Outlook 2025 (via Argus, 21 May 2025; Rawmaterials.net, 21 May 2025)", "https://rawmaterials.net/iea-diversifying-raw-material-supply-chains-progresses-slowly/", "estimate: World 'Lithium refining' world 2035 = 0.6 x 3.7 Mt LCE x 18.79% Li = 417,000 t Li = 18,010,000 t SC6; 2030 the straight line between 2025 and 2035 (14,190,000: no 2030 volume published); china 62% (2030: 8,800,000) and 60% (2035, the stated floor: 10,810,000)."),
    ("S192", "Primary (refined) nickel production 2024: world; China; Indonesia's and China's refining shares", "3,516,000 t; 1,035,000 t (29%); Indonesia 37% and China 28% (2023), Indonesia 45% (2024)", "t Ni/yr; share", "International Nickel Study Group, The world nickel market in 2024 and 2025 (Stainless Steel World, 2024); IEA, Global Critical Minerals Outlook 2024 and 2025 (via Cipher News/bjnickel, May 2024; India RE News, 28 May 2025)", "https://stainless-steel-world.net/the-world-nickel-market-in-2024-and-2025-back-to-back-surpluses", "World 'Nickel refining' 2025: world 3,625,000, china 1,067,000 t Ni of MHP fed/yr (t Ni refined / 0.97, the example's recovery). Not verified for the stage itself: these are all primary nickel (NPI, ferronickel, class 1 and sulphate); no world/China split of battery-grade nickel sulphate was found (China's share of it is higher, ~55-65%: unverified). estimate: no country projection found; both rows hold to 2035."),
    ("S193", "Refined cobalt production 2024; 2025 (forecast); China's part", "229,000 t (2024, from 240,000 = +4.8%); 240,000 t (2025f); China 179,000 (2024), 195,000 (2025f)", "t Co/yr", "Antaike (Fan Ruize) via Metalnomist, Global cobalt supply expected to rise in 2025, Dec 2024; IEA, World Energy Outlook 2024 (China >75% of cobalt refining, via The Oregon Group)", "https://metalnomist.com/2024/12/global-cobalt-supply-expected-to-rise.html", "World 'Cobalt refining' 2025: world 236,100, china 184,500 t Co of hydroxide fed/yr (t refined / 0.97, the example's recovery; China 78%). 2035: china 60% (IEA GCMO 2025: 'more than 60%' of refined cobalt by 2035, S191 source); estimate: world x 1.5 (IEA GCMO 2025: STEPS cobalt demand +50-60% to 2040 and base-case supply covers STEPS demand in 2035) = 354,100, china 212,500; 2030 the straight line."),
    ("S194", "Indonesian HPAL (MHP) owners: Halmahera Persada Lygend (Obi); Huayue (Morowali); QMB (Morowali); Chinese firms' part of Indonesian nickel refining", "HPL: Harita 45.1%, Lygend 36.9%, Kang Xuan 18% (Lygend reports 69 of its 120 kt Ni as equity capacity); Huayue: Huayou, Tsingshan, CMOC; QMB: GEM, Tsingshan, Brunp (CATL), IMIP, Hanwa; Chinese companies >80% of Indonesia's refined nickel", "share", "Trimegah Bangun Persada (CNBC Indonesia), 2 Jun 2023; Longbridge (Minsheng Securities), 2025; Reuters via CNA, 14 Feb 2022; GEM, 11 Jan 2019; IEA GCMO 2024 via Cipher News, May 2024", "https://tbpnickel.com/media/news/operational/indonesia-has-the-largest-nickel-sulfate-plant-in-the-world-here-s-the-owner", "Facilities owner China on 'Indonesia HPAL (Huayou, Lygend, QMB)', 'Indonesia HPAL cobalt (in MHP)' and 'Indonesia nickel sulphate (Obi)' (HPL's sulphate plant): Chinese firms hold the majority of each JV (HPL: Lygend 36.9% + Kang Xuan 18%, which Lygend's equity capacity counts), and every Chinese stake is above the 25% the US FEOC rules count as control (S199)."),
    ("S195", "Pomalaa HPAL (PT Kolaka Nickel Indonesia, 120 kt Ni/yr MHP): owners", "Huayou (indirect) 53%, Ford 17%, Vale Indonesia 30% (after Vale's option; 20% today)", "share", "Investor Daily via Panensaham, Jul 2023; Green Car Congress, 31 Mar 2023", "https://panensaham.com/berita/read/PENG1807230754", "Facilities owner China on the candidate 'Indonesia HPAL expansion (Pomalaa)': Huayou holds the majority even after Vale's option."),
    ("S196", "DRC cobalt 2024: DRC mine output; CMOC output (TFM 80%, KFM 71.25% + CATL/Brunp 23.75%); Chinese firms' part of DRC output", "220,000 t; 114,165 t (52%); 'over half'", "t Co; share", "USGS, Mineral Commodity Summaries 2025: Cobalt, Jan 2025; Mining.com, CMOC sets record in cobalt production, Jan 2025; Metalnomist, Feb 2025", "https://mining.com/?p=1169092", "Facilities owner China on 'DRC cobalt hydroxide (export quota)': one row for DRC's exports, of which CMOC alone mines about half and Chinese firms (CMOC, Huayou's CDM, Jinchuan's Ruashi, ...) the majority; Glencore (Switzerland) is the main non-Chinese producer. It counts only for feed-scope caps on cobalt hydroxide (none in the example)."),
    ("S197", "Greenbushes (Talison Lithium) owners", "Tianqi Lithium Energy Australia 51% (Tianqi 51%, IGO 49%), Albemarle 49%; Tianqi effective 26%", "share", "Mining Technology (Reuters), Albemarle expresses interest in Tianqi's stake, 2020; Mining.com via ferro-alloys.com, Tianqi sells 49% of Australian unit to IGO, Dec 2020", "https://www.mining-technology.com/news/albemarle-expresses-interest-tianqis-stake/", "Facilities owner China on 'Greenbushes (Talison)': Tianqi controls TLEA, which holds the majority of Talison, and its 26% effective stake passes the 25% FEOC test (S199). Debatable (Albemarle holds the largest single stake and markets its share); it matters only for feed-scope caps on spodumene (none in the example)."),
    ("S198", "Other controlling foreign owners of modelled facilities", "Lynas Rare Earths (Australia): Kuantan; Shin-Etsu Chemical (Japan): Hai Phong; Albemarle (US): Kemerton", "owner", "S28, S31 (Lynas Malaysia); S46, S47 (Shin-Etsu Vietnam); S78, S184 (Albemarle Kemerton)", "", "Facilities owner Australia on 'Lynas Malaysia separation (Kuantan)' and 'Lynas Malaysia heavy-REE expansion'; Japan on 'Shin-Etsu magnets (Hai Phong, Vietnam)' and 'Shin-Etsu Hai Phong separation expansion (Japan-backed)'; US on 'Kemerton trains 1-2' and 'Kemerton trains 3-4'. None is in the China group, so no China cap changes. Neo Magnequench Korat is Canadian-owned (Neo Performance Materials) but Canada is not on Countries: left blank (its own country, Thailand; same answer for every China cap)."),
    ("S199", "US foreign-entity-of-concern (FEOC) test: owned by, controlled by or subject to the direction of a covered nation's government; control = 25% or more of board seats, voting rights or equity (OBBBA 2025 'foreign-influenced entity': >=25% by one specified foreign entity or >=40% together)", "25%", "share", "US Department of Energy, Interpretation of Foreign Entity of Concern, final interpretive rule, 89 FR 37079, 6 May 2024; Decern, The 25% ownership threshold, 2025", "https://www.govinfo.gov/content/pkg/FR-2024-05-06/html/2024-08913.htm", "ShareCaps basis 'ownership' on 'China share of US lithium hydroxide (FEOC)' and 'China share of US cobalt sulphate (FEOC)': the US counts Chinese-owned or -controlled plants anywhere; the other caps count where a plant stands. Facilities owner follows the same 25%/majority test (S194-S198)."),
    ("S200", "Whose plants' costs are the coalition's (Countries coalition)", "yes: US, Japan, Australia, Malaysia, Vietnam, Thailand, Indonesia; no: China, Myanmar, Laos, DRC, Chile", "policy", "US-Japan framework 28 Oct 2025 (S71); US-Australia framework 20 Oct 2025 (S178); US deals with Malaysia, Thailand, Vietnam (and Cambodia), Oct 2025 (S69); US-Indonesia deal, Jul 2025 (S68); US-DRC Strategic Partnership Agreement, 4 Dec 2025 (Egmont Institute, Dec 2025)", "https://www.egmontinstitute.be/the-washington-agreements-peace-for-business-is-not-enough", "Countries coalition. no for Myanmar (military government under US sanctions; the Kachin mines are held by the Kachin Independence Army since late 2024 and ship to China: bought at market, S04, S98), Laos (no framework; its ionic clays are mined by Chinese firms for China, S101), DRC (the Dec 2025 agreement gives US firms first offer on new assets, but today's output is mainly Chinese-owned and sold at market under export quotas, S88, S196) and Chile (not in the Oct 2025 frameworks; SQM and Albemarle sell at market prices). Indonesia is yes as the brief's partner, though its HPAL plants are Chinese-owned (S194)."),
]
# fmt: on

# ============================================================== settings

SETTINGS = [
    (
        "name",
        "Indo-Pacific critical minerals 2025-2035: US-Japan framework example built from public figures (see Sources sheet, docs/example.md)",
    ),
    ("currency", "USD"),
    ("base_year", 2025),
    ("first_year", 2025),
    ("last_year", 2035),
    ("year_step", 1),
    ("discount_rate", 0.07),  # S76
    ("unmet_penalty", None),  # every commodity gives its own (S94)
    ("mip_gap", 0.005),  # 0.5 %: a fan of 15 futures; tighten for a final plan
    ("time_limit_s", 300),  # the whole run (value of hedging included), not the MIP alone
    ("share_mode", "hard"),
    ("share_penalty", None),
    ("commercial_rate", 0.10),  # S173: a private producer's cost of capital, for margins at market prices
    # the plan at least cost; market: every plant built must break even (docs/viability.md)
    ("viability", "planner"),
    # whose cost: what the US, Japan and their partners pay — China's price for what they buy from
    # outside the coalition (Countries coalition, S200), not China's own cost (docs/example.md)
    ("perspective", "buyers"),
]

# ============================================================== countries

# country, group, coalition (yes/no: whose plants' costs are the coalition's, S200; blank: no for the China
# group, yes otherwise), notes
COUNTRIES = [
    (
        "China",
        "China",
        "no",
        "Group China: share caps limit supply from facilities here. Sized at export-available volumes (S97).",
    ),
    (
        "Myanmar",
        None,
        "no",
        "Ionic-clay REE mined here is separated in China; no group: its oxide counts as Chinese once a Chinese plant separates it. Outside the coalition: military government under US sanctions, Kachin mines held by the KIA and shipping to China at market prices (S200).",
    ),
    (
        "Laos",
        None,
        "no",
        "Ionic-clay REE, mostly to China; may also ship to Malaysia. Outside the coalition: no framework, Chinese-mined ore sold at market prices (S200).",
    ),
    (
        "Australia",
        None,
        "yes",
        "Mt Weld, Greenbushes, Eneabba, Nolans, Kemerton. US-Australia framework 20 Oct 2025 (S178, S200).",
    ),
    (
        "Malaysia",
        None,
        "yes",
        "Lynas Malaysia (Kuantan); US-Malaysia critical minerals MoU Oct 2025 (S69, S200).",
    ),
    (
        "Vietnam",
        None,
        "yes",
        "Shin-Etsu Hai Phong; reserves revised 22 -> 3.5 Mt (S06); US-Vietnam framework Oct 2025 (S69, S200).",
    ),
    (
        "Thailand",
        None,
        "yes",
        "Neo Magnequench Korat; US-Thailand critical minerals MoU Oct 2025 (S69, S200).",
    ),
    (
        "Indonesia",
        None,
        "yes",
        "Nickel and cobalt intermediates (HPAL); plants are largely Chinese-owned but located outside China (Facilities owner, S194). Coalition partner under the US-Indonesia deal (S68, S200).",
    ),
    ("US", None, "yes", "Consumer; DLA stockpiles; DoD/OSC-funded plants."),
    (
        "Japan",
        None,
        "yes",
        "Consumer; JOGMEC stockpiles; JPY 400 bn programme to 2027; US-Japan framework 28 Oct 2025 (S71, S200).",
    ),
    (
        "DRC",
        None,
        "no",
        "Cobalt hydroxide under export quotas (S88). Outside the coalition: output mostly Chinese-owned (S196) and bought at market prices; the Dec 2025 US-DRC agreement covers new assets (S200).",
    ),
    (
        "Chile",
        None,
        "no",
        "Brine lithium chemicals (SQM, Albemarle). Outside the coalition: not in the Oct 2025 frameworks, sold at market prices (S200).",
    ),
]
# Cambodia is left out: no REE or battery-mineral capacity to model (docs/example.md).

# ============================================================== commodities
# name, price USD/t, source; unmet_penalty = 5 x price (S94)

LIGHT = "REE concentrate (light, t REO)"
IONIC = "REE concentrate (ionic clay, t REO)"
MONAZ = "REE concentrate (monazite-xenotime, t REO)"
NDPR = "NdPr oxide"
DYTB = "Dy/Tb oxide"
LACE = "La/Ce oxide"
MAG = "NdFeB magnet"
SC6 = "Spodumene concentrate (SC6)"
LIOH = "Lithium hydroxide (battery grade)"
NIINT = "Nickel intermediate (MHP, t Ni)"
NISO4 = "Nickel sulphate (t Ni)"
COINT = "Cobalt intermediate (hydroxide, t Co)"
COSO4 = "Cobalt sulphate (t Co)"

COMMODITIES = [
    (LIGHT, 6_300),  # S18
    (IONIC, 29_000),  # S18
    (MONAZ, 12_500),  # S18: monazite ~51,600 CNY/t at ~58% REO
    (NDPR, 110_000),  # S17
    (DYTB, 350_000),  # S19
    (LACE, 1_000),  # S18
    (MAG, 65_000),  # S20
    (SC6, 900),  # S81
    (LIOH, 10_000),  # S81
    (NIINT, 12_400),  # S90
    (NISO4, 17_200),  # S90
    (COINT, 26_500),  # S89
    (COSO4, 34_000),  # S89
]
PENALTY_FACTOR = 5  # S94

# ============================================================== processes
# (process, commodity, role, per_unit); the first 'in' row has per_unit 1

SEP_LIGHT = "REE separation (light ore)"
SEP_WELD = "REE separation (light ore, heavy circuit)"
SEP_MONAZ = "REE separation (monazite/xenotime)"
SEP_IONIC = "REE separation (ionic clay)"
MAGNET = "Magnet making (sintered NdFeB)"
LI_REF = "Lithium refining (SC6 to LiOH)"
NI_REF = "Nickel sulphate refining"
CO_REF = "Cobalt sulphate refining"

PROCESSES = [
    (SEP_LIGHT, LIGHT, "in", 1.0),
    (SEP_LIGHT, NDPR, "out", 0.20),  # S38
    (SEP_LIGHT, LACE, "out", 0.70),  # estimate: La+Ce ~75-80% of TREO x ~90% recovery
    (SEP_WELD, LIGHT, "in", 1.0),
    (SEP_WELD, NDPR, "out", 0.20),  # S38
    (SEP_WELD, DYTB, "out", 0.003),  # estimate: Lynas heavy circuit, Dy+Tb ~0.3% of Mt Weld TREO (S60)
    (SEP_WELD, LACE, "out", 0.70),  # as light ore
    (SEP_MONAZ, MONAZ, "in", 1.0),
    (SEP_MONAZ, NDPR, "out", 0.20),  # S39
    (SEP_MONAZ, DYTB, "out", 0.0102),  # S39: (240+66)/6,000 x 0.20
    (SEP_MONAZ, LACE, "out", 0.60),  # estimate: monazite La+Ce ~65-70% of TREO
    (SEP_IONIC, IONIC, "in", 1.0),
    (SEP_IONIC, NDPR, "out", 0.18),  # estimate: medium-Y ionic clays ~20-25% Nd+Pr
    (SEP_IONIC, DYTB, "out", 0.04),  # estimate: Dy+Tb ~4-6% of TREO in Myanmar/S.China ionic clays
    (SEP_IONIC, LACE, "out", 0.30),  # estimate
    (MAGNET, NDPR, "in", 1.0),
    (MAGNET, DYTB, "in", 0.04),  # S53
    (MAGNET, MAG, "out", 2.8),  # S53
    (LI_REF, SC6, "in", 1.0),
    (LI_REF, LIOH, "out", 0.14),  # S79
    (NI_REF, NIINT, "in", 1.0),
    (NI_REF, NISO4, "out", 0.97),  # S108
    (CO_REF, COINT, "in", 1.0),
    (CO_REF, COSO4, "out", 0.97),  # S108
]

# ============================================================== environment (S143-S165)
# Per t of the process's first input (t REO of concentrate fed, t NdPr oxide fed, t SC6 fed, t of
# contained metal): solid waste, radioactive (NORM) residue, water, CO2. Sourced where the S-rows say
# so, estimates otherwise (each marked in the Sources rows' how_used).

ENVIRONMENT = {
    SEP_LIGHT: {
        "waste_t": 9.5,
        "radioactive_waste_t": 0.9,
        "water_m3": 68,
        "co2_t": 6,
    },  # S151, S144 (Bayan Obo type)
    SEP_WELD: {
        "waste_t": 9.5,
        "radioactive_waste_t": 2.6,
        "water_m3": 40,
        "co2_t": 6,
    },  # S144, S145: Lynas WLP+NUF+FGD
    SEP_MONAZ: {
        "waste_t": 1.5,
        "radioactive_waste_t": 0.4,
        "water_m3": 30,
        "co2_t": 4,
    },  # S18, S164 (estimate)
    SEP_IONIC: {"waste_t": 1.0, "water_m3": 50, "co2_t": 4},  # S153 (estimate: separation of mixed carbonate)
    MAGNET: {"waste_t": 0.3, "water_m3": 50, "co2_t": 14},  # S161 (estimate: electrolysis + sintering)
    LI_REF: {"waste_t": 1.4, "water_m3": 6, "co2_t": 0.6},  # S154-S157
    NI_REF: {"waste_t": 1.0, "water_m3": 30, "co2_t": 3},  # estimate
    CO_REF: {"waste_t": 2.0, "water_m3": 60, "co2_t": 8},  # estimate
}

# Processing stages for the shares of world capacity outside China (the four separation routes are one stage)
STAGES = {SEP_LIGHT: "REE separation", SEP_WELD: "REE separation", SEP_MONAZ: "REE separation",
          SEP_IONIC: "REE separation", MAGNET: "Magnet making", LI_REF: "Lithium refining",
          NI_REF: "Nickel refining", CO_REF: "Cobalt refining"}  # fmt: skip

# Published processing capacity of the world and of China by stage (the World sheet, S187-S193), in each
# stage's unit: t/yr of what its processes take in (t REO of concentrate fed, t NdPr oxide fed, t SC6 fed,
# t Ni of MHP fed, t Co of hydroxide fed), converted from published output with the recipes above. The
# Chinese plants on Facilities are sized at their export-available part (S97); the shares of world
# capacity outside China are measured against these rows, to which the planner adds the workbook's own
# candidate and committed builds. 2025 holds the latest published full year (2024); 2030 and 2035 are
# IEA base-case projections where published; the years between are straight lines (`path`); a row with
# only a 2025 point holds it to 2035.
WORLD_COLUMNS = ("stage", "measure", "source")
# fmt: off
WORLD = [
    ("REE separation", "world", {2025: 390_000, 2030: 541_000, 2035: 563_000},
     "USGS MCS 2025: world REE mine output 2024 (390 kt REO), all of it separated; 2030/2035 IEA GCMO 2024 base-case supply growth (S187, S188)"),
    ("REE separation", "china", {2025: 355_000, 2030: 417_000, 2035: 428_000},
     "IEA: China 91% of separation 2024; base case 77% (2030, GCMO 2024), 76% (2035, GCMO 2025) (S187, S188)"),
    ("Magnet making", "world", {2025: 98_800},
     "China's part / 0.94 (IEA: China 94% of permanent-magnet manufacturing); no projection published: held (S189)"),
    ("Magnet making", "china", {2025: 92_900},
     "SMM: China's magnet output 260 kt in 2024 / 2.8 t magnet per t NdPr; no projection published: held (S189)"),
    ("Lithium refining", "world", {2025: 10_360_000, 2030: 14_190_000, 2035: 18_010_000},
     "USGS MCS 2025: 240 kt Li in 2024 / 0.02316 t Li per t SC6; 2035 IEA GCMO 2025 base-case supply (S190, S191)"),
    ("Lithium refining", "china", {2025: 7_250_000, 2030: 8_800_000, 2035: 10_810_000},
     "IEA GCMO 2025: China 70% of refining 2024, 62% 2030, over 60% 2035 (S190, S191)"),
    ("Nickel refining", "world", {2025: 3_625_000},
     "INSG: world primary nickel 2024, 3.516 Mt / 0.97 (all refined nickel, not only sulphate); held (S192)"),
    ("Nickel refining", "china", {2025: 1_067_000},
     "INSG: China 1.035 Mt (29%; IEA 28% in 2023) / 0.97; held (S192)"),
    ("Cobalt refining", "world", {2025: 236_100, 2035: 354_100},
     "Antaike: refined cobalt 229 kt in 2024 / 0.97; 2035 x1.5 with IEA STEPS demand (estimate) (S193)"),
    ("Cobalt refining", "china", {2025: 184_500, 2035: 212_500},
     "Antaike: China 179 kt refined in 2024 (78%) / 0.97; 2035 60% (IEA GCMO 2025: over 60%) (S193)"),
]
# fmt: on

# Malaysia's licence conditions for Lynas: no cracking and leaching residue in Malaysia after
# 2 March 2026 (S146-S149); Kalgoorlie's feed supports ~45,000 t REO/yr (S150). As a cap on the
# heavy-circuit plant's radioactive residue: 2.6 t/t x 45,000 t = 117,000 t/yr from 2027, times 0.55
# (the part of Kuantan's output the example models, its availability): 64,350 t/yr (S165).
ENV_LIMITS = [
    (
        "Malaysia licence: Kuantan residue within what Kalgoorlie feed supports",
        "radioactive_waste_t",
        "Malaysia",
        SEP_WELD,
        [None, None, 64_350, None, None, None, None, None, None, None, None],
    ),
]

# ============================================================== facilities
# Columns follow planner.workbook.schema Facilities; None = blank (default).
# Existing facilities: capacity only (ramps on the Capacity sheet), var_cost, availability.
# Candidates: max size, min size, capex, fixed O&M (4%/yr of capex_per_t, estimate), lead, earliest, life, funder.


def existing(name, kind, country, output, capacity, var_cost, availability=None):
    is_plant = kind == "plant"
    return {
        "facility": name,
        "kind": kind,
        "country": country,
        "status": "existing",
        "commodity": None if is_plant else output,
        "process": output if is_plant else None,
        "capacity": capacity,
        "var_cost": var_cost,
        "availability": availability,
    }


def candidate(
    name,
    kind,
    country,
    output,
    *,
    size,
    min_size,
    capex_fixed,
    capex_per_t,
    var_cost,
    lead,
    earliest,
    life,
    funder,
):
    is_plant = kind == "plant"
    return {
        "facility": name,
        "kind": kind,
        "country": country,
        "status": "candidate",
        "commodity": None if is_plant else output,
        "process": output if is_plant else None,
        "capacity": size,
        "min_size": min_size,
        "capex_fixed": capex_fixed,
        "capex_per_t": capex_per_t,
        "fixed_om_per_t": round(0.04 * capex_per_t),
        "var_cost": var_cost,
        "lead_time": lead,
        "earliest_year": earliest,
        "life": life,
        "funder": funder,
    }


# fmt: off
FACILITIES = [
    # --- REE mines (t REO/yr of concentrate); var_cost USD/t REO (S93)
    existing("China light-REE mines (Bayan Obo etc.)", "mine", "China", LIGHT, 60_000, 1_700),  # S02, S97
    existing("China ionic-clay mines (Jiangxi, Guangdong)", "mine", "China", IONIC, 10_000, 9_000),  # S02, S97
    existing("Myanmar ionic-clay mines (Kachin)", "mine", "Myanmar", IONIC, 31_000, 7_000, 0.8),  # S04, S98
    existing("Laos ionic-clay mines", "mine", "Laos", IONIC, 2_000, 7_500),  # S101 (estimate)
    existing("Malaysia ionic-clay feed (Lynas partners)", "mine", "Malaysia", IONIC, 0, 9_000),  # S31, S100 (estimate): from 2027
    existing("Mountain Pass mine (MP Materials)", "mine", "US", LIGHT, 45_000, 2_300),  # S03, S21, S22
    existing("Mt Weld mine and Kalgoorlie cracking (Lynas)", "mine", "Australia", LIGHT, 45_000, 2_600),  # S27-S29
    existing("Eneabba monazite stockpile (Iluka)", "mine", "Australia", MONAZ, 0, 1_500),  # S36: released from 2027
    # --- REE separation (t REO feed/yr)
    existing("China light-REE separation (Baotou)", "plant", "China", SEP_LIGHT, 60_000, 2_000),  # S09, S97
    existing("China ionic-clay separation (Ganzhou)", "plant", "China", SEP_IONIC, 45_000, 3_000),  # S09, S97
    existing("Lynas Malaysia separation (Kuantan)", "plant", "Malaysia", SEP_WELD, 52_500, 3_000, 0.55),  # S28, S29
    existing("MP Materials separation (Mountain Pass)", "plant", "US", SEP_LIGHT, 12_500, 3_200, 0.95),  # S21, S26
    existing("Energy Fuels White Mesa Phase 1", "plant", "US", SEP_MONAZ, 5_000, 4_500),  # S40
    existing("Energy Fuels monazite supply (Chemours US, Donald, Vara Mada)", "mine", "US", MONAZ, 5_000, 4_000),  # S39, S104 (estimate)
    # --- magnet plants (t NdPr oxide fed/yr = t magnet / 2.8); var_cost USD per t NdPr fed (S93)
    existing("China magnet plants (export-available)", "plant", "China", MAGNET, 10_714, 60_000),  # S20, S97
    existing("Japan magnet makers (Shin-Etsu, Proterial, TDK, Daido)", "plant", "Japan", MAGNET, 5_357, 90_000, 0.95),  # S59
    existing("Shin-Etsu magnets (Hai Phong, Vietnam)", "plant", "Vietnam", MAGNET, 714, 90_000),  # S46
    existing("Neo Magnequench Korat (Thailand)", "plant", "Thailand", MAGNET, 643, 92_000),  # S45
    existing("US magnet plants (MP Independence, eVAC)", "plant", "US", MAGNET, 686, 115_000),  # S23, S43
    existing("MP Materials 10X magnet plant (committed)", "plant", "US", MAGNET, 0, 110_000),  # S24-S26: DoD offtake, financed
    # --- recyclers
    existing("Japan magnet-scrap recycling", "recycler", "Japan", NDPR, 300, 25_000),  # S52 (estimate: in-house swarf)
    existing("Noveon Magnetics (Texas, recycled feed)", "recycler", "US", MAG, 500, 35_000),  # S52 (estimate)
    # --- lithium (t SC6/yr; refineries measured on SC6 fed)
    existing("Greenbushes (Talison)", "mine", "Australia", SC6, 1_500_000, 350),  # S77
    existing("Chile brine lithium chemicals (SQM, Albemarle)", "mine", "Chile", LIOH, 40_000, 6_000),  # S80 (estimate: export-available)
    existing("China lithium converters (export-available)", "plant", "China", LI_REF, 700_000, 630),  # S97; ~4,500 USD/t LiOH
    existing("Kemerton trains 1-2 (Albemarle)", "plant", "Australia", LI_REF, 357_000, 1_050, 0.7),  # S78; curtailed 2024-25
    # --- nickel (t Ni)
    existing("Indonesia HPAL (Huayou, Lygend, QMB)", "mine", "Indonesia", NIINT, 250_000, 8_000),  # S85-S87
    existing("China nickel sulphate refiners (export-available)", "plant", "China", NI_REF, 200_000, 1_500),  # S97
    existing("Sumitomo Niihama nickel refinery", "plant", "Japan", NI_REF, 40_000, 2_500),  # S103 (estimate)
    existing("Indonesia nickel sulphate (Obi)", "plant", "Indonesia", NI_REF, 80_000, 1_400),  # S102 (estimate)
    # --- cobalt (t Co)
    existing("DRC cobalt hydroxide (export quota)", "mine", "DRC", COINT, 60_000, 15_000),  # S88
    existing("Indonesia HPAL cobalt (in MHP)", "mine", "Indonesia", COINT, 25_000, 5_000),  # S87
    existing("China cobalt refiners (export-available)", "plant", "China", CO_REF, 60_000, 3_000),  # S97
    existing("Sumitomo Niihama cobalt refinery", "plant", "Japan", CO_REF, 4_000, 4_500),  # S103 (estimate)
    # --- candidate REE supply
    {**candidate("Iluka Eneabba refinery (completion)", "plant", "Australia", SEP_MONAZ, size=23_000, min_size=12_000, capex_fixed=150e6, capex_per_t=24_000, var_cost=3_600, lead=2, earliest=2027, life=25, funder="Australia"), "status": "committed", "online_year": 2027},  # a decision already taken: the A$1.65 bn loan lent, A$1 bn spent, commissioning 2027 (S35, S36, S179); S35, S36: remaining ~60% of the capex (estimate)
    candidate("Arafura Nolans (mine-to-oxide)", "mine", "Australia", NDPR, size=4_440, min_size=2_220, capex_fixed=250e6, capex_per_t=180_000, var_cost=31_000, lead=3, earliest=2028, life=25, funder="Australia"),  # S37
    candidate("Energy Fuels White Mesa Phase 2", "plant", "US", SEP_MONAZ, size=30_000, min_size=15_000, capex_fixed=80e6, capex_per_t=11_000, var_cost=3_400, lead=3, earliest=2029, life=25, funder="US"),  # S39
    candidate("Lynas Malaysia heavy-REE expansion", "plant", "Malaysia", SEP_IONIC, size=5_000, min_size=2_500, capex_fixed=20e6, capex_per_t=19_600, var_cost=4_500, lead=1, earliest=2026, life=20, funder="Malaysia"),  # S31
    candidate("Vietnam REE mine (Dong Pao / Yen Phu)", "mine", "Vietnam", LIGHT, size=10_000, min_size=5_000, capex_fixed=60e6, capex_per_t=15_000, var_cost=3_200, lead=3, earliest=2028, life=20, funder="Vietnam"),  # S06, S08
    candidate("Shin-Etsu Hai Phong separation expansion (Japan-backed)", "plant", "Vietnam", SEP_LIGHT, size=10_000, min_size=3_000, capex_fixed=30e6, capex_per_t=30_000, var_cost=3_300, lead=2, earliest=2027, life=20, funder="Japan"),  # S47, S49
    # --- candidate magnet plants (size in t NdPr fed/yr)
    candidate("Vulcan Elements magnet plant (Benson NC)", "plant", "US", MAGNET, size=3_571, min_size=1_071, capex_fixed=100e6, capex_per_t=229_000, var_cost=105_000, lead=2, earliest=2027, life=20, funder="US"),  # S41
    candidate("Japan magnet expansion (Takefu / Proterial)", "plant", "Japan", MAGNET, size=2_143, min_size=714, capex_fixed=20e6, capex_per_t=170_000, var_cost=89_000, lead=2, earliest=2027, life=20, funder="Japan"),  # S46
    candidate("Vietnam magnet expansion (Japan-funded)", "plant", "Vietnam", MAGNET, size=1_786, min_size=714, capex_fixed=10e6, capex_per_t=100_000, var_cost=88_000, lead=2, earliest=2027, life=20, funder="Japan"),  # S46, S48
    candidate("Thailand magnet plant (US-backed)", "plant", "Thailand", MAGNET, size=1_071, min_size=536, capex_fixed=10e6, capex_per_t=115_000, var_cost=90_000, lead=2, earliest=2027, life=20, funder="US"),  # S44, S69
    # --- candidate recyclers
    candidate("US magnet recycling hub (oxide)", "recycler", "US", NDPR, size=1_500, min_size=170, capex_fixed=10e6, capex_per_t=140_000, var_cost=50_000, lead=2, earliest=2027, life=15, funder="US"),  # S42, S50, S51
    candidate("US magnet-to-magnet recycling", "recycler", "US", MAG, size=2_000, min_size=500, capex_fixed=10e6, capex_per_t=45_000, var_cost=30_000, lead=2, earliest=2027, life=15, funder="US"),  # S44, S51 (estimate)
    # --- candidate battery-mineral plants
    candidate("Kemerton trains 3-4 (Albemarle)", "plant", "Australia", LI_REF, size=357_000, min_size=178_500, capex_fixed=200e6, capex_per_t=3_500, var_cost=1_050, lead=3, earliest=2028, life=25, funder="Australia"),  # S78
    candidate("US lithium hydroxide refinery (Gulf Coast)", "plant", "US", LI_REF, size=357_000, min_size=178_500, capex_fixed=200e6, capex_per_t=3_800, var_cost=1_120, lead=3, earliest=2028, life=25, funder="US"),  # S78 analogue
    candidate("Indonesia HPAL expansion (Pomalaa)", "mine", "Indonesia", NIINT, size=120_000, min_size=40_000, capex_fixed=100e6, capex_per_t=14_000, var_cost=8_000, lead=3, earliest=2028, life=20, funder="Indonesia"),  # S86
    candidate("Indonesia nickel sulphate refinery", "plant", "Indonesia", NI_REF, size=50_000, min_size=25_000, capex_fixed=50e6, capex_per_t=6_000, var_cost=1_400, lead=2, earliest=2027, life=20, funder="Indonesia"),  # S102 (estimate)
    candidate("Japan cobalt refinery expansion (Niihama)", "plant", "Japan", CO_REF, size=3_000, min_size=3_000, capex_fixed=20e6, capex_per_t=20_000, var_cost=3_300, lead=2, earliest=2027, life=20, funder="Japan"),  # S103 (estimate)
]
# fmt: on

# Facilities owned or controlled from another country (Facilities.owner; blank: the country it stands in).
# Majority or controlling ownership, with the US FEOC 25% test where the stakes are split (S194-S199); it
# counts only for share caps with basis "ownership".
OWNERS = {
    "Indonesia HPAL (Huayou, Lygend, QMB)": "China",  # S194
    "Indonesia HPAL cobalt (in MHP)": "China",  # S194
    "Indonesia nickel sulphate (Obi)": "China",  # S194: Halmahera Persada Lygend
    "Indonesia HPAL expansion (Pomalaa)": "China",  # S195: Huayou 53%
    "DRC cobalt hydroxide (export quota)": "China",  # S196: CMOC about half, Chinese firms the majority
    "Greenbushes (Talison)": "China",  # S197: Tianqi controls TLEA (51% of Talison)
    "Lynas Malaysia separation (Kuantan)": "Australia",  # S198
    "Lynas Malaysia heavy-REE expansion": "Australia",  # S198
    "Shin-Etsu magnets (Hai Phong, Vietnam)": "Japan",  # S198
    "Shin-Etsu Hai Phong separation expansion (Japan-backed)": "Japan",  # S198
    "Kemerton trains 1-2 (Albemarle)": "US",  # S198
    "Kemerton trains 3-4 (Albemarle)": "US",  # S198
}

# Existing capacities that change over time (t/yr); None = same as left.
CAPACITY = {
    "Mountain Pass mine (MP Materials)": {2025: 45_000, 2026: 52_000, 2027: 60_000},  # S21, S22
    "Mt Weld mine and Kalgoorlie cracking (Lynas)": {2025: 45_000, 2026: 60_000},  # S29
    "Lynas Malaysia separation (Kuantan)": {2025: 52_500, 2026: 60_000},  # S28, S29
    "MP Materials separation (Mountain Pass)": {2025: 12_500, 2026: 20_000, 2027: 30_000},  # S21, S26
    "US magnet plants (MP Independence, eVAC)": {2025: 686, 2026: 893},  # S23, S43: 150 -> 357 + 536
    "MP Materials 10X magnet plant (committed)": {
        2025: 0,
        2028: 1_250,
        2029: 2_500,
    },  # S24: commissioning 2028, 7,000 t magnet
    "Eneabba monazite stockpile (Iluka)": {2025: 0, 2027: 20_000},  # S35, S36
    "Malaysia ionic-clay feed (Lynas partners)": {2025: 0, 2027: 3_000},  # S31, S100 (estimate)
    "Energy Fuels monazite supply (Chemours US, Donald, Vara Mada)": {
        2025: 5_000,
        2028: 10_000,
        2030: 20_000,
        2032: 30_000,
    },  # S104
    "Greenbushes (Talison)": {2025: 1_500_000, 2026: 2_000_000},  # S77
    "DRC cobalt hydroxide (export quota)": {2025: 60_000, 2026: 96_600, 2028: 130_000},  # S88
}

# ============================================================== demand (t/yr)


def grow(start: float, rate_to_2030: float, rate_after: float, step: float = 1) -> list[float]:
    """Start value in 2025, compound growth to 2030 then after; rounded to `step`."""
    out, v = [], start
    for y in YEARS:
        out.append(round(v / step) * step)
        v *= 1 + (rate_to_2030 if y < 2030 else rate_after)
    return out


def path(points: dict[int, float]) -> list[float]:
    """Straight lines between the given years (a planner's hand-drawn trajectory)."""
    ys = sorted(points)
    out = []
    for y in YEARS:
        lo = max(k for k in ys if k <= y)
        hi = min((k for k in ys if k >= y), default=lo)
        v = points[lo] if hi == lo else points[lo] + (points[hi] - points[lo]) * (y - lo) / (hi - lo)
        out.append(round(v, -2) if v >= 1_000 else round(v))
    return out


DEMAND = [
    ("US", MAG, grow(10_000, 0.09, 0.07, 10)),  # S56, S57
    ("Japan", MAG, grow(15_000, 0.05, 0.04, 10)),  # S59, S57
    ("US", NDPR, grow(1_000, 0.06, 0.06, 10)),  # S13 (estimate: users outside the modelled magnet plants)
    ("Japan", NDPR, grow(3_000, 0.04, 0.04, 10)),  # S13
    ("US", DYTB, grow(80, 0.06, 0.06)),  # S60 (estimate)
    ("Japan", DYTB, grow(250, 0.04, 0.04)),  # S60
    ("US", LACE, grow(7_000, 0.02, 0.02, 10)),  # S19, S107 (USGS: catalysts ~60% of US REE use)
    ("Japan", LACE, grow(8_000, 0.01, 0.01, 10)),  # S107 (estimate: polishing and catalysts)
    ("US", LIOH, path({2025: 30_000, 2030: 60_000, 2035: 90_000})),  # S82-S84
    ("Japan", LIOH, path({2025: 20_000, 2030: 45_000, 2035: 55_000})),  # S75, S82
    ("US", NISO4, path({2025: 25_000, 2030: 50_000, 2035: 75_000})),  # S82-S84
    ("Japan", NISO4, path({2025: 20_000, 2030: 40_000, 2035: 50_000})),  # S75, S82
    ("US", COSO4, path({2025: 6_000, 2030: 10_000, 2035: 13_000})),  # S91, S82
    ("Japan", COSO4, path({2025: 4_000, 2030: 7_000, 2035: 8_000})),  # S75, S82
]

# ============================================================== lanes
# (from, to, commodity, cost USD/t, tariff fraction of price); S92 costs, S67-S70 tariffs.

LANES: list[tuple[str, str, str, float, float]] = []

# Main export port of each country (lat, lon); sea distance ~1.25 x great circle (S92).
PORTS = {
    "China": (31.2, 121.5),  # Shanghai
    "Australia": (-32.05, 115.74),  # Fremantle
    "Malaysia": (3.8, 103.3),  # Kuantan
    "Vietnam": (20.85, 106.7),  # Hai Phong
    "Thailand": (13.08, 100.9),  # Laem Chabang
    "Indonesia": (-2.8, 122.1),  # Morowali
    "US": (33.75, -118.2),  # Los Angeles / Long Beach
    "Japan": (35.45, 139.65),  # Yokohama
    "DRC": (-6.8, 39.3),  # via Dar es Salaam
    "Chile": (-23.65, -70.4),  # Antofagasta
    "Laos": (17.97, 102.6),  # Vientiane (truck to Laem Chabang / Hai Phong)
    "Myanmar": (25.4, 97.4),  # Myitkyina (truck to Yunnan)
}
# (handling USD/t, USD per t per 1,000 km, t of product per t of the commodity as counted)
FREIGHT = {
    "bulk": (30, 4.0, 1.0),  # spodumene in bulk carriers
    "concentrate": (80, 8.0, 1.0),  # bagged REE concentrate in containers
    "oxide": (150, 15.0, 1.0),  # drummed oxides, insured
    "magnet": (250, 25.0, 1.0),  # boxed magnets, insured
    "lithium": (60, 8.0, 1.0),
    "mhp": (60, 8.0, 2.5),  # MHP ~40% Ni
    "niso4": (60, 8.0, 4.5),  # nickel sulphate ~22% Ni
    "cooh": (60, 8.0, 3.3),  # cobalt hydroxide ~30% Co
    "coso4": (60, 8.0, 4.9),  # cobalt sulphate ~20.5% Co
}
OVERLAND = {
    ("Myanmar", "China"): 150,
    ("Laos", "China"): 160,
    ("Laos", "Malaysia"): 260,
}  # truck + border, per t REO


def sea_km(a: str, b: str) -> float:
    (la1, lo1), (la2, lo2) = PORTS[a], PORTS[b]
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    central = math.acos(
        max(-1.0, min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    )
    return 1.25 * 6371 * central


def freight(kind: str):
    handling, rate, product = FREIGHT[kind]
    return lambda a, b: OVERLAND.get((a, b)) or round(product * (handling + rate * sea_km(a, b) / 1000))


def lanes(origins, destinations, commodities, cost, tariff_to_us=0.0, china_to_us=0.25):
    for a in origins:
        for b in destinations:
            if a == b:
                continue
            for k in commodities:
                t = 0.0
                if b == "US":
                    t = china_to_us if a == "China" else tariff_to_us
                LANES.append((a, b, k, cost(a, b), t))


# concentrates: only to non-China separation (no US->China or Australia->China lane, S99)
lanes(["Australia"], ["Malaysia", "Vietnam", "US"], [LIGHT], freight("concentrate"))
lanes(["Myanmar", "Laos"], ["China"], [IONIC], freight("concentrate"))
lanes(["Laos"], ["Malaysia"], [IONIC], freight("concentrate"))
# NdPr and Dy/Tb oxides to consumers and magnet makers; La/Ce only to consumers
OXIDE_ROUTES = {
    "China": ["US", "Japan", "Vietnam", "Thailand"],
    "Malaysia": ["US", "Japan", "Vietnam", "Thailand"],
    "Australia": ["US", "Japan", "Vietnam"],
    "Vietnam": ["US", "Japan", "Thailand"],
    "US": ["Japan"],
    "Japan": ["US", "Vietnam"],
}
# MP Materials' NdPr and heavy oxides are committed to US magnet making under the DoD deal (S24-S26):
# no US -> Japan lane for them (US La/Ce still ships to Japan).
COMMITTED_AT_HOME = {"US"}
for _a, _dests in OXIDE_ROUTES.items():
    if _a not in COMMITTED_AT_HOME:
        lanes([_a], _dests, (NDPR, DYTB), freight("oxide"))
    lanes([_a], [b for b in _dests if b in ("US", "Japan")], (LACE,), freight("oxide"))
# magnets to consumers: tariffs into the US by origin (S67-S69)
MAGNET_TARIFF_US = {"China": 0.25, "Japan": 0.15, "Vietnam": 0.20, "Thailand": 0.19}
for _a in ["China", "Japan", "Vietnam", "Thailand", "US"]:
    for _b in ["US", "Japan"]:
        if _a != _b:
            LANES.append(
                (_a, _b, MAG, freight("magnet")(_a, _b), MAGNET_TARIFF_US.get(_a, 0.0) if _b == "US" else 0.0)
            )
# lithium
lanes(["Australia"], ["China", "US"], [SC6], freight("bulk"))
lanes(["China", "Australia", "Chile"], ["US", "Japan"], [LIOH], freight("lithium"))
# nickel and cobalt (per t of contained metal)
lanes(["Indonesia"], ["China", "Japan"], [NIINT], freight("mhp"))
lanes(["China", "Indonesia", "Japan"], ["US", "Japan"], [NISO4], freight("niso4"))
lanes(["DRC", "Indonesia"], ["China", "Japan"], [COINT], freight("cooh"))
lanes(["China", "Japan"], ["US", "Japan"], [COSO4], freight("coso4"))

# ============================================================== share caps (China group)

# fmt: off
TIGHTEN_US = [0.90, 0.85, 0.75, 0.65, 0.55, 0.50, 0.46, 0.42, 0.38, 0.34, 0.30]  # seed 0.9 -> 0.5 (2030) -> 0.3 (2035)
TIGHTEN_JP = [0.65, 0.60, 0.55, 0.50, 0.45, 0.40, 0.38, 0.36, 0.34, 0.32, 0.30]  # starts at Japan's ~63% (S11)
JAPAN_NDPR = [0.40, 0.40, 0.38, 0.36, 0.34, 0.32, 0.31, 0.30, 0.30, 0.30, 0.30]  # Sojitz/Lynas >70% of Japan's Nd (S105)
FEED = [0.60, 0.58, 0.55, 0.50, 0.45, 0.40, 0.38, 0.36, 0.34, 0.32, 0.30]  # Japanese makers buy Lynas oxide (S105)
HEAVY = [0.95, 0.95, 0.90, 0.85, 0.80, 0.75, 0.72, 0.69, 0.66, 0.63, 0.60]  # Dy/Tb: 100% Chinese today (S12)
FEOC = [0.90, 0.85, 0.80, 0.75, 0.70, 0.65, 0.62, 0.59, 0.56, 0.53, 0.50]  # US battery chemicals
# fmt: on

SHARECAPS = [
    ("China share of US magnet supply", "supply", "China", "US", MAG, TIGHTEN_US),
    ("China share of Japan magnet supply", "supply", "China", "Japan", MAG, TIGHTEN_JP),
    ("China share of NdPr oxide to US users", "supply", "China", "US", NDPR, TIGHTEN_US),
    ("China share of NdPr oxide to Japan users", "supply", "China", "Japan", NDPR, JAPAN_NDPR),
    ("China share of NdPr feed to non-China magnet plants", "feed", "China", "ALL", NDPR, FEED),
    ("China share of Dy/Tb oxide to US and Japan users", "supply", "China", "ALL", DYTB, HEAVY),
    ("China share of Dy/Tb feed to non-China magnet plants", "feed", "China", "ALL", DYTB, HEAVY),
    ("China share of US lithium hydroxide (FEOC)", "supply", "China", "US", LIOH, FEOC),
    ("China share of US cobalt sulphate (FEOC)", "supply", "China", "US", COSO4, FEOC),
]

# The US FEOC caps count Chinese-owned or -controlled plants wherever they stand (S199); the others count
# where a plant stands (basis blank: location).
SHARECAP_BASIS = {
    "China share of US lithium hydroxide (FEOC)": "ownership",
    "China share of US cobalt sulphate (FEOC)": "ownership",
}

# ============================================================== stockpiles
# holding_cost = 7% x price + 300 USD/t (S76, S96); capex 300 USD/t of new storage, life 30 (S96)


def holding(k: str) -> float:
    return round(0.07 * dict(COMMODITIES)[k] + 300)


STOCKPILES = [
    # name, owner, commodity, existing, max, cover_days, initial
    ("US DLA NdPr oxide", "US", NDPR, 0, 5_000, None, 0),  # S64-S66
    ("US DLA Dy/Tb oxide", "US", DYTB, 0, 300, None, 0),  # S64-S66
    ("US DLA NdFeB magnets", "US", MAG, 0, 5_000, None, 0),  # S64-S66
    ("US NDS cobalt", "US", COSO4, 500, 3_000, None, 300),  # S65 (estimate)
    ("Japan JOGMEC NdPr oxide", "Japan", NDPR, 1_000, 3_000, 60, 550),  # S74 (volumes undisclosed: estimate)
    ("Japan JOGMEC Dy/Tb oxide", "Japan", DYTB, 150, 500, 180, 130),  # S74
    ("Japan JOGMEC cobalt", "Japan", COSO4, 1_000, 3_000, 60, 700),  # S74
]

# ============================================================== the US Project Vault variant (VAULT_SOURCES)
# The same example with the Vault's 60 days of manufacturers' supply as a floor on every US stock
# (docs/research/sources-2026-12.md section D). The model holds the floor from its first year (2025);
# the Vault was approved in February 2026. Lithium, nickel and graphite, also named, have no US stock
# in the example.
VAULT_COVER_DAYS = 60
VAULT_NAME = (
    "Indo-Pacific critical minerals 2025-2035 with the US Project Vault floor: 60 days of supply on every US "
    "stock (see Sources sheet, docs/example.md)"
)
# fmt: off
VAULT_SOURCES: list[tuple[str, str, str, str, str, str, str]] = [
    ("V01", "US Project Vault (Strategic Critical Minerals Reserve), announced 2 Feb 2026", "~USD 12 bn: USD 10 bn EXIM direct loan (15 years, approved 2 Feb 2026) + USD 1.67 bn private capital", "USD",
     "GTR (Global Trade Review), US Exim backs US$12bn critical minerals stockpile, 2026; Bloomberg via gbdaily, 2026",
     "https://www.gtreview.com/?p=121242",
     "Scale of the policy priced by indo_pacific_vault.xlsx; no tonnage per mineral is published, so the model sizes the US stocks by the 60-day rule (V02)."),
    ("V02", "Project Vault target cover", "60 days of manufacturers' supply", "days",
     "Principle Civics, Trump's Project Vault (Feb 2026), a summary of CNBC, Fortune and TechCrunch reports, 2026",
     "https://www.principlecivics.com/topics/trump-project-vault-feb-2026",
     "cover_days 60 on US DLA NdPr, Dy/Tb and magnets and US NDS cobalt. Single secondary source: no official basis document for the 60 days was found (docs/research/sources-2026-12.md D)."),
    ("V03", "Project Vault minerals", "rare earths, gallium, cobalt, lithium, nickel, graphite", "list",
     "US Lucrative News, Trump unveils plan for US$12 billion critical minerals stockpile, 2026",
     "https://uslucrativenews.com/2026/02/03/trump-unveils-plan-for-us12-billion-critical-minerals-stockpile",
     "estimate: the floor is put on the example's US stocks of rare earths (NdPr, Dy/Tb, magnets) and cobalt; lithium, nickel, gallium and graphite have no US stock in the example."),
]
# fmt: on

BUDGETS = [
    ("Japan", 2025, 2027, 2.7e9),  # S72
    ("US", 2025, 2029, 5.0e9),  # S63
]

# ============================================================== risks (S95)
# Disruptions that may strike in any year of their window; the planner makes one scenario per
# risk and start year (docs/risks.md). value: export_cut = fraction of flow cut, others multipliers.

RISK_COLUMNS = ("risk", "type", "from", "to", "commodity", "facility", "value",
                "annual_probability", "duration", "first_start", "last_start", "warning", "together")  # fmt: skip
# fmt: off
RISKS = [
    # 2025-type licensing squeeze, may start in any year to 2032: magnets at 26% of the year before in May 2025,
    # Dy/Tb exports to zero; annualised cuts NdPr 0.15, Dy/Tb 0.6, magnets 0.3; 2 flow-cutting episodes in
    # 2010-2025 and the 2023-25 burst -> 0.15/yr (S109-S111, S116-S120)
    ("China REE licensing squeeze", "export_cut", "China", None, NDPR, None, 0.15, 0.15, 1, 2026, 2032, 0, "china_ree_squeeze"),
    ("China REE licensing squeeze", "export_cut", "China", None, DYTB, None, 0.6, 0.15, 1, 2026, 2032, 0, "china_ree_squeeze"),
    ("China REE licensing squeeze", "export_cut", "China", None, MAG, None, 0.3, 0.15, 1, 2026, 2032, 0, "china_ree_squeeze"),
    # the 2023-24 slump (NdPr -38% in 2023), 2 slumps in 15 years -> 0.12/yr, two years long (S121-S125)
    ("China price war", "cost", "China", None, None, None, 0.6, 0.12, 2, 2026, 2027, 0, "china_price_war"),
    # EV, wind and robotics demand ~25% above the base path for five years (S126, S127)
    ("EV/wind demand surge", "demand", None, None, MAG, None, 1.25, 0.05, 5, 2027, 2028, 0, "demand_surge"),
    ("EV/wind demand surge", "demand", None, None, NDPR, None, 1.25, 0.05, 5, 2027, 2028, 0, "demand_surge"),
    ("EV/wind demand surge", "demand", None, None, DYTB, None, 1.25, 0.05, 5, 2027, 2028, 0, "demand_surge"),
    # a non-China shock: a 2025-type DRC cobalt export ban, ~0.8 of a year's exports (S128-S130)
    ("DRC cobalt export ban", "export_cut", "DRC", None, COINT, None, 0.8, 0.08, 1, 2026, 2028, 0, "drc_cobalt_ban"),
]
# The windows are kept short enough for the fan (15 scenarios, 123 tree nodes) to solve in about a minute on
# two cores; a full multi-year ban of oxides and magnets (never seen yet; ~0.03/yr, S62, S118) is a row a planner
# may add as a stress case:
#   ("China REE and magnet ban", "export_cut", "China", None, k, None, 1.0, 0.03, 2, 2026, 2033, 0, "china_ree_ban")
# fmt: on

# ============================================================== scrap (S135-S138): t/yr of what the recyclers put out
# US magnets: 40% of collected end-of-life magnets to magnet-to-magnet recycling at 0.95 t per t, plus 500 t/yr of
# pre-consumer scrap for Noveon; US and Japan oxide: the rest at 0.34 t NdPr per t magnet (Japan with 300 t swarf).

# fmt: off
SCRAP = [
    ("US", MAG, [730, 910, 1_120, 1_360, 1_640, 1_950, 2_310, 2_710, 3_170, 3_690, 4_270]),
    ("US", NDPR, [120, 220, 330, 460, 610, 780, 970, 1_190, 1_430, 1_710, 2_030]),
    ("Japan", NDPR, [570, 640, 700, 780, 850, 930, 1_010, 1_100, 1_200, 1_290, 1_400]),
]
# fmt: on

# ============================================================== market prices (S167-S172)
# USD/t by year, 2025-2035 (None = same as the year before); the rest at their Commodities price.
# A price war (the Risks row "China price war": a cost event on China) moves every price by 0.6.

# fmt: off
PRICES = [
    (NDPR, [70_000, 90_000] + [None] * 9),  # S167, S168
    (MAG, [55_000, 65_000] + [None] * 9),  # S169: 0.5 x NdPr $/kg + 20 $/kg
    (DYTB, [500_000] + [None] * 10),  # S170
    (LIGHT, [5_600, 7_300] + [None] * 9),  # S171
    (MONAZ, [11_200, 14_400] + [None] * 9),  # S171
    (LIOH, [10_000, 15_000, None, None, 15_400] + [None] * 6),  # S81, S172
    (SC6, [900, 1_200, None, None, 1_210] + [None] * 6),  # S81, S172
]
# fmt: on

# ============================================================== support offers (S17, S173-S181)
# The US-Japan framework's tools (grants, loans, price floors; B.5 of docs/research) as offers to the
# candidates each funder backs. Rates are real (S174). The plan gives them only with viability = market;
# in planner mode the report prices them for the plants that need support.

SUPPORT_COLUMNS = ("support", "instrument", "facility", "funder", "commodity", "share", "rate", "tenor",
                   "price", "quantity", "limit")  # fmt: skip
EF2 = "Energy Fuels White Mesa Phase 2"
HUB = "US magnet recycling hub (oxide)"
JAPAN_GRANT = 623e6  # S176: JPY 92.2 bn a year at 148 JPY/USD
# fmt: off
SUPPORT = [
    ("DoD NdPr price floor: Energy Fuels Phase 2", "price_floor", EF2, "US", NDPR, None, None, None, 110_000, None, None),  # S17
    ("DoD NdPr price floor: US recycling hub", "price_floor", HUB, "US", NDPR, None, None, None, 110_000, None, None),  # S17
    ("DoD magnet offtake (10X terms): Vulcan Elements", "offtake", "Vulcan Elements magnet plant (Benson NC)", "US", MAG, None, None, None, 90_000, None, None),  # S186
    ("OSC loan: Vulcan Elements", "loan", "Vulcan Elements magnet plant (Benson NC)", "US", None, 0.675, 0.02, 15, None, None, None),  # S180
    ("DOE LPO loan: US lithium hydroxide refinery", "loan", "US lithium hydroxide refinery (Gulf Coast)", "US", None, 0.75, 0.02, 23, None, None, None),  # S175
    ("EXIM loan: Arafura Nolans", "loan", "Arafura Nolans (mine-to-oxide)", "US", None, 0.3, 0.03, 15, None, None, None),  # S178
    ("DFC loan: Thailand magnet plant", "loan", "Thailand magnet plant (US-backed)", "US", None, 0.5, 0.03, 15, None, None, None),  # S178
    ("DoD DPA grant: US magnet-to-magnet recycling", "capex_grant", "US magnet-to-magnet recycling", "US", None, 0.5, None, None, None, None, 200e6),  # S181
    ("Japan grant: Lynas heavy-REE expansion", "capex_grant", "Lynas Malaysia heavy-REE expansion", "Japan", None, 0.5, None, None, None, None, JAPAN_GRANT),  # S176
    ("JOGMEC/JARE loan: Lynas heavy-REE expansion", "loan", "Lynas Malaysia heavy-REE expansion", "Japan", None, 0.3, 0.0025, 10, None, None, None),  # S177
    ("Japan grant: Shin-Etsu Hai Phong separation", "capex_grant", "Shin-Etsu Hai Phong separation expansion (Japan-backed)", "Japan", None, 0.5, None, None, None, None, JAPAN_GRANT),  # S176
    ("Japan grant: Vietnam magnet expansion", "capex_grant", "Vietnam magnet expansion (Japan-funded)", "Japan", None, 0.5, None, None, None, None, JAPAN_GRANT),  # S176
    ("JBIC loan: Vietnam magnet expansion", "loan", "Vietnam magnet expansion (Japan-funded)", "Japan", None, 0.5, 0.01, 15, None, None, None),  # S174, S177 (estimate: JBIC rates are not public)
    ("Japan grant: Japan magnet expansion", "capex_grant", "Japan magnet expansion (Takefu / Proterial)", "Japan", None, 0.5, None, None, None, None, JAPAN_GRANT),  # S176
    ("Japan grant: Niihama cobalt expansion", "capex_grant", "Japan cobalt refinery expansion (Niihama)", "Japan", None, 0.5, None, None, None, None, JAPAN_GRANT),  # S176
    # S179: the EFA loan to Eneabba is lent; the refinery is a committed build (Facilities), which takes no
    # offer of its own until offers on committed builds come (issue 33)
]
# fmt: on

# ============================================================== jobs (S182-S185): direct jobs per kt/yr of capacity
JOBS = {SEP_LIGHT: 15, SEP_WELD: 15, SEP_MONAZ: 15, SEP_IONIC: 15, MAGNET: 420,
        LI_REF: 1.3, NI_REF: 9, CO_REF: 9}  # fmt: skip

# ============================================================== writing

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
MONEY = "#,##0"
TONNES = "#,##0"
SHARE = "0%"
FORMATS = {  # column name -> number format
    "price": MONEY,
    "unmet_penalty": MONEY,
    "capex_fixed": MONEY,
    "capex_per_t": MONEY,
    "fixed_om_per_t": MONEY,
    "var_cost": MONEY,
    "cost": MONEY,
    "max_capex": MONEY,
    "holding_cost": MONEY,
    "capacity": TONNES,
    "min_size": TONNES,
    "existing_capacity": TONNES,
    "max_capacity": TONNES,
    "initial_level": TONNES,
    "max_flow": TONNES,
    "tariff": SHARE,
    "availability": SHARE,
    "probability": SHARE,
    "annual_probability": SHARE,
    "per_unit": "0.0000",
    "share": SHARE,
    "rate": "0.00%",
    "limit": MONEY,
    "quantity": TONNES,
}


def headers(sheet: str) -> list[str]:
    return [c.header for c in SHEETS_BY_NAME[sheet].columns]


def add_sheet(
    wb: Workbook,
    title: str,
    head: list[object],
    rows: list[list[object]],
    formats: list[str | None],
    widths: list[int],
) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append(r)
    for j, fmt in enumerate(formats, start=1):
        if fmt:
            for i in range(2, len(rows) + 2):
                ws.cell(i, j).number_format = fmt
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"


def contract_sheet(
    wb: Workbook, sheet: str, records: list[dict], years: dict[str, list] | None = None
) -> None:
    cols = [c.name for c in SHEETS_BY_NAME[sheet].columns]
    head: list[object] = headers(sheet)
    if years is not None:
        head += YEARS
    rows = []
    for rec in records:
        row = [rec.get(c) for c in cols]
        if years is not None:
            row += rec["years"]
        rows.append(row)
    formats = [FORMATS.get(c) for c in cols]
    if years is not None:
        formats += [years["format"]] * len(YEARS)
    widths = [
        max(10, min(48, max(len(str(h)) for h in [head[j]] + [r[j] for r in rows if r[j] is not None]) + 2))
        for j in range(len(cols))
    ]
    widths += [9] * (len(head) - len(cols))
    add_sheet(wb, sheet, head, rows, formats, widths)


def build(vault: bool = False) -> Workbook:
    """The example's workbook; `vault`: with the US Project Vault floor on every US stock."""
    wb = Workbook()
    wb.remove(wb.active)
    settings = [(k, VAULT_NAME if vault and k == "name" else v) for k, v in SETTINGS]
    stockpiles = [
        (n, o, k, e, m, VAULT_COVER_DAYS if vault and o == "US" else d, i)
        for n, o, k, e, m, d, i in STOCKPILES
    ]
    add_sheet(wb, "Settings", headers("Settings"), [list(kv) for kv in settings], [None, None], [16, 110])
    contract_sheet(
        wb,
        "Countries",
        [dict(zip(("country", "group", "coalition", "notes"), c, strict=True)) for c in COUNTRIES],
    )
    contract_sheet(
        wb,
        "Commodities",
        [
            {"commodity": k, "unit": "t", "price": p, "unmet_penalty": PENALTY_FACTOR * p}
            for k, p in COMMODITIES
        ],
    )
    process_rows = []
    for p in PROCESSES:
        row = dict(zip(("process", "commodity", "role", "per_unit"), p, strict=True))
        if row["role"] == "in" and not any(r["process"] == row["process"] for r in process_rows):
            row.update(ENVIRONMENT.get(row["process"], {}))  # intensities on the first input row
            row["stage"] = STAGES[row["process"]]
            row["jobs_per_kt"] = JOBS[row["process"]]
        process_rows.append(row)
    contract_sheet(wb, "Processes", process_rows)
    contract_sheet(wb, "Facilities", [{**f, "owner": OWNERS.get(f["facility"])} for f in FACILITIES])
    cap_rows = []
    for f, pts in CAPACITY.items():
        cap_rows.append({"facility": f, "years": [pts.get(y) for y in YEARS]})  # blanks mean "same as left"
    contract_sheet(wb, "Capacity", cap_rows, {"format": TONNES})
    contract_sheet(
        wb, "Demand", [{"country": c, "commodity": k, "years": v} for c, k, v in DEMAND], {"format": TONNES}
    )
    contract_sheet(wb, "Prices", [{"commodity": k, "years": v} for k, v in PRICES], {"format": MONEY})
    contract_sheet(
        wb,
        "Lanes",
        [{"from": a, "to": b, "commodity": k, "cost": c, "tariff": t or None} for a, b, k, c, t in LANES],
    )
    contract_sheet(
        wb,
        "ShareCaps",
        [
            {
                "rule": r,
                "scope": s,
                "group": g,
                "applies_to": a,
                "commodity": k,
                "basis": SHARECAP_BASIS.get(r),
                "years": v,
            }
            for r, s, g, a, k, v in SHARECAPS
        ],
        {"format": SHARE},
    )
    contract_sheet(
        wb,
        "Stockpiles",
        [
            {
                "stockpile": n,
                "owner": o,
                "commodity": k,
                "existing_capacity": e,
                "max_capacity": m,
                "capex_per_t": 300,
                "holding_cost": holding(k),
                "life": 30,
                "cover_days": d,
                "initial_level": i,
                "release_when": "disruption",  # strategic: drawn only in a shortage, held in normal times
            }
            for n, o, k, e, m, d, i in stockpiles
        ],
    )
    contract_sheet(
        wb,
        "Budgets",
        [dict(zip(("funder", "first_year", "last_year", "max_capex"), b, strict=True)) for b in BUDGETS],
    )
    contract_sheet(wb, "Risks", [dict(zip(RISK_COLUMNS, r, strict=True)) for r in RISKS])
    contract_sheet(
        wb,
        "EnvLimits",
        [
            {"limit": n, "metric": m, "applies_to": a, "process": p, "years": v}
            for n, m, a, p, v in ENV_LIMITS
        ],
        {"format": TONNES},
    )
    contract_sheet(
        wb, "Scrap", [{"country": c, "commodity": k, "years": v} for c, k, v in SCRAP], {"format": TONNES}
    )
    contract_sheet(wb, "Support", [dict(zip(SUPPORT_COLUMNS, r, strict=True)) for r in SUPPORT])
    contract_sheet(
        wb,
        "World",
        [
            {**dict(zip(WORLD_COLUMNS, (stage, measure, source), strict=True)), "years": path(points)}
            for stage, measure, points, source in WORLD
        ],
        {"format": TONNES},
    )
    add_sheet(
        wb,
        "Sources",
        ["id", "figure", "value", "unit", "source", "address", "how_used"],
        [list(s) for s in (SOURCES + VAULT_SOURCES if vault else SOURCES)],
        [None] * 7,
        [6, 48, 26, 12, 60, 60, 90],
    )
    props = wb.properties
    props.creator = "critical-minerals-planner inputs/build_example.py"
    props.lastModifiedBy = props.creator
    props.title = "Indo-Pacific critical minerals example" + (
        " with the US Project Vault floor" if vault else ""
    )
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def deterministic_bytes(wb: Workbook) -> bytes:
    """Save, then rewrite the zip with fixed entry times and a fixed modified stamp."""
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", data
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(deterministic_bytes(build()))
    print(f"wrote {out} ({len(SOURCES)} sourced figures, {len(FACILITIES)} facilities)")
    vault = out.with_name(out.stem + VAULT_SUFFIX + out.suffix)
    vault.write_bytes(deterministic_bytes(build(vault=True)))
    print(
        f"wrote {vault} (the same, with the US Project Vault's {VAULT_COVER_DAYS}-day floor on every US stock)"
    )


if __name__ == "__main__":
    main(sys.argv)
