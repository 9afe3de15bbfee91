"""The standard questionnaire of the four rates, and which answer counts towards which rate.

| question | rate | counts as positive |
|---|---|---|
| 1 您知道本村(社区)的妇联和妇女之家吗？ | 知晓率 awareness | 知道 |
| 2 过去一年，您参加过妇联组织的活动或培训吗？ | 参与率 participation | 参加过 |
| 3 您对妇联的工作满意吗？(1–5分) | 满意率 satisfaction | 4 or 5 |
| 4 过去一年，您或家人从妇联的服务中得到过帮助吗？ | 受益率 benefit | 得到过 |
| 5 您对妇联工作有什么意见和建议？ | — | — |

A rate is positive answers ÷ answers to its question, for the unit's whole subtree; a unit where nobody
answered has no rate ("无数据"), not 0 %.
"""

from .models import Question, Rate

STANDARD_QUESTIONS = [
    {"text": "您知道本村(社区)的妇联和妇女之家吗？", "kind": Question.Kind.SINGLE,
     "choices": ["知道", "听说过但不清楚", "不知道"], "rate": Rate.AWARENESS, "positive": [0]},
    {"text": "过去一年，您参加过妇联组织的活动或培训吗？", "kind": Question.Kind.SINGLE,
     "choices": ["参加过", "没有参加过"], "rate": Rate.PARTICIPATION, "positive": [0]},
    {"text": "您对妇联的工作满意吗？（1分很不满意，5分很满意）", "kind": Question.Kind.SCALE,
     "choices": [], "rate": Rate.SATISFACTION, "positive": [4]},
    {"text": "过去一年，您或家人从妇联的服务中得到过帮助吗？", "kind": Question.Kind.SINGLE,
     "choices": ["得到过", "没有"], "rate": Rate.BENEFIT, "positive": [0]},
    {"text": "您对妇联工作有什么意见和建议？", "kind": Question.Kind.TEXT, "choices": [], "rate": "",
     "positive": [], "required": False},
]
