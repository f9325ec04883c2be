"""The demo's households and produce: 西新村, 统景镇, 渝北区, with pseudonymous names.

Each introduction and story is written for the level its household consented
to: households that show only their village are never named in them.

The stories retell, in the spirit of the seed report, how a social-work agency
sold the fish and farm produce of sixteen households of one village. Every name,
ID number, phone and account below is invented.
"""

from decimal import Decimal

DISTRICT = "渝北区"
TOWN = "统景镇"
VILLAGE = "西新村"

ORGANISATION = {
    "name": "红领巾社会工作服务中心",
    "slug": "hongling-social-work",
    "district": DISTRICT,
    "description": "在统景镇、木耳镇、兴隆镇的农村社区开展社工帮扶服务的专业机构。",
    "service_phone": "023-67881234",
    "service_wechat": "hongling_kefu",
    "service_hours": "每天 9:00–21:00",
}

PICKUP_POINTS = [
    {
        "name": "龙塔街道社区服务站",
        "address": "重庆市渝北区龙塔街道新牌坊一路88号",
        "opening_hours": "周一至周六 9:00–18:00",
    },
    {
        "name": "统景镇便民服务中心",
        "address": "重庆市渝北区统景镇场镇街12号",
        "opening_hours": "每天 8:30–17:30",
    },
]

CATEGORIES = ["鲜鱼", "禽蛋", "肉类", "蔬菜", "水果", "粮油", "干货与加工品"]

# kind → (category, unit, price per unit, drawing used for its photo)
PRODUCE = {
    "草鱼": ("鲜鱼", "斤", Decimal("15.00"), "fish"),
    "鲫鱼": ("鲜鱼", "斤", Decimal("18.00"), "fish"),
    "花鲢": ("鲜鱼", "斤", Decimal("13.00"), "fish"),
    "土鸡蛋": ("禽蛋", "盒（30枚）", Decimal("45.00"), "eggs"),
    "鸭蛋": ("禽蛋", "盒（20枚）", Decimal("36.00"), "eggs"),
    "土鸡": ("肉类", "只", Decimal("128.00"), "hen"),
    "老腊肉": ("肉类", "斤", Decimal("58.00"), "meat"),
    "青菜": ("蔬菜", "斤", Decimal("4.00"), "greens"),
    "红薯": ("蔬菜", "斤", Decimal("3.50"), "tuber"),
    "萝卜": ("蔬菜", "斤", Decimal("2.50"), "tuber"),
    "血橙": ("水果", "斤", Decimal("8.00"), "citrus"),
    "李子": ("水果", "斤", Decimal("10.00"), "citrus"),
    "菜籽油": ("粮油", "斤", Decimal("28.00"), "oil"),
    "大米": ("粮油", "斤", Decimal("6.50"), "grain"),
    "干豇豆": ("干货与加工品", "袋（250克）", Decimal("18.00"), "dried"),
    "咸鱼干": ("干货与加工品", "斤", Decimal("45.00"), "dried"),
}

# (staff nickname, public name, display level, legal name, members, category, products
#  as (kind, stock), introduction, story paragraphs)
HOUSEHOLDS = [
    (
        "luo-pond",
        "罗大哥",
        "given_name",
        "罗某银",
        5,
        "jiandang",
        [("草鱼", 120), ("鲫鱼", 60), ("花鲢", 80)],
        "一场事故后，罗大哥在自家鱼塘养了两千多条鱼。",
        [
            "多年前的一场事故让罗大哥干不了重活。家里有年迈的母亲，两个女儿都在读书。",
            "在镇村干部和社工的帮助下，他把屋后的塘整修好，养了两千多条草鱼、鲫鱼和花鲢，"
            "只喂青草和玉米。",
            "年底鱼出塘，社工帮他拍照、写故事、在微信群里接单。您买的每一斤鱼，钱都直接记在他家的账上。",
        ],
    ),
    (
        "wang-hens",
        "王阿姨",
        "given_name",
        "王某芬",
        3,
        "dibao",
        [("土鸡蛋", 40), ("土鸡", 12)],
        "王阿姨在坡上散养了八十只土鸡。",
        [
            "王阿姨的老伴常年生病，儿子在外打工。她在屋后的山坡上散养了八十只土鸡。",
            "鸡白天在林子里找虫吃，晚上回笼，下的蛋蛋黄颜色深。社工每周上门一次，帮她把蛋装盒、发货。",
        ],
    ),
    (
        "chen-veg",
        "陈家",
        "village",
        "陈某强",
        4,
        "jiandang",
        [("青菜", 90), ("萝卜", 150), ("红薯", 200)],
        "这户人家种了三亩菜地，一年四季都有菜。",
        [
            "这户人家种着三亩坡地，青菜、萝卜、红薯轮着种，不打除草剂。",
            "以前菜只能挑到镇上赶场卖，卖不完就烂在地里。现在城里的订单一来，社工当天就帮着采摘打包。",
        ],
    ),
    (
        "zhang-oranges",
        "张婆婆",
        "given_name",
        "张某兰",
        2,
        "tekun",
        [("血橙", 300)],
        "张婆婆守着一片老橙林。",
        [
            "张婆婆今年七十三岁，和孙子一起生活。屋前那片血橙树是她年轻时亲手种下的。",
            "橙子熟了，她一个人摘不完，社工和志愿者周末来帮忙，把橙子卖给城里的家庭。",
        ],
    ),
    (
        "li-bacon",
        "李叔",
        "given_name",
        "李某福",
        4,
        "jiandang",
        [("老腊肉", 50)],
        "李叔家的腊肉用柏树枝熏足一个月。",
        [
            "李叔年轻时在外面做厨师，腰伤回乡后养了两头猪。",
            "冬至后杀年猪，按老办法抹盐、挂在灶上，用柏树枝熏足一个月，肉色红亮。",
        ],
    ),
    (
        "he-ducks",
        "何家",
        "village",
        "何某平",
        3,
        "dibao",
        [("鸭蛋", 30), ("咸鱼干", 20)],
        "这户人家在塘边养鸭，也晒咸鱼干。",
        [
            "这户人家的鸭子在塘边放养，鸭蛋个头大。冬天，他们把塘里的鱼腌好晒成咸鱼干。",
        ],
    ),
    (
        "zhou-rice",
        "周大伯",
        "given_name",
        "周某富",
        2,
        "tekun",
        [("大米", 400)],
        "周大伯种的是山泉水灌溉的稻谷。",
        [
            "周大伯的稻田在山脚下，用山泉水灌溉。新米打出来，社工帮他用真空袋分装。",
        ],
    ),
    (
        "wu-oil",
        "吴家",
        "village",
        "吴某英",
        5,
        "jiandang",
        [("菜籽油", 100)],
        "这户人家的菜籽油是村里老油坊压榨的。",
        [
            "这户人家种了两亩油菜，春天满坡金黄。菜籽收了送到村里老油坊，压出来的油香味浓。",
        ],
    ),
    (
        "xu-pond",
        "徐二哥",
        "given_name",
        "徐某军",
        4,
        "dibao",
        [("草鱼", 90), ("花鲢", 70)],
        "徐二哥的鱼塘在村口的水库边。",
        [
            "徐二哥的妻子患病多年，他在家照顾，同时养着一口三亩的鱼塘。",
            "社工帮他算了一笔账：直接卖给城里人，比卖给鱼贩子每斤多赚三块钱。",
        ],
    ),
    (
        "yang-plums",
        "杨家",
        "anonymous",
        "杨某秀",
        3,
        "edge",
        [("李子", 150)],
        "一户种李子的人家。",
        [
            "这户人家在坡上种了一百多棵李子树。李子脆甜，夏天上市。",
        ],
    ),
    (
        "tang-beans",
        "唐奶奶",
        "given_name",
        "唐某珍",
        1,
        "tekun",
        [("干豇豆", 60)],
        "唐奶奶一个人生活，夏天晒干豇豆。",
        [
            "唐奶奶一个人生活。夏天豇豆多，她把吃不完的焯水后晒干，冬天炖肉最香。",
        ],
    ),
    (
        "deng-hens",
        "邓家",
        "village",
        "邓某刚",
        4,
        "jiandang",
        [("土鸡", 15), ("土鸡蛋", 25)],
        "这户人家在果园里养鸡。",
        [
            "这户人家把鸡养在果园里，鸡吃落果和虫子，果树也少生虫。",
        ],
    ),
    (
        "feng-veg",
        "冯大姐",
        "given_name",
        "冯某梅",
        3,
        "dibao",
        [("青菜", 80), ("红薯", 120)],
        "冯大姐的菜地就在家门口。",
        [
            "冯大姐的丈夫残疾，她一边照顾家人一边种菜。社工帮她接城里的订单，她早上摘菜，中午就能发走。",
        ],
    ),
    (
        "liu-pond",
        "刘师傅",
        "given_name",
        "刘某华",
        4,
        "jiandang",
        [("鲫鱼", 70), ("咸鱼干", 15)],
        "刘师傅养鲫鱼，也做咸鱼干。",
        [
            "刘师傅原来是村里的泥水匠，受伤后回家养鱼。他的鲫鱼个头不大，炖汤最鲜。",
        ],
    ),
    (
        "song-oranges",
        "宋家",
        "village",
        "宋某林",
        5,
        "edge",
        [("血橙", 200), ("萝卜", 100)],
        "这户人家种血橙和萝卜。",
        [
            "这户人家一家五口，两个孩子在镇上读书。家里种着血橙和萝卜，一年到头闲不下来。",
        ],
    ),
    (
        "ma-bacon",
        "马家",
        "anonymous",
        "马某东",
        2,
        "dibao",
        [("老腊肉", 30), ("菜籽油", 40)],
        "一户做腊肉的人家。",
        [
            "这户人家每年养一头年猪，做成腊肉。家里的菜籽油也是自己种的油菜压的。",
        ],
    ),
]

# The after-sales policy (storefront.AfterSalesPage), as storefront's migration
# 0007 gives a database that already had a home page.
AFTER_SALES = {
    "title": "售后说明：退换货与坏果包赔",
    "slug": "after-sales",
    "body": [
        ("heading", "坏果包赔"),
        (
            "paragraph",
            "<p>鱼、蛋、菜都是农户现捕现摘后发出的。收到包裹时如有死鱼、变质、破损或腐烂，"
            "请在签收后24小时内拍照（整个包裹和有问题的商品各一张，能看到快递面单更好），"
            "连同订单号发给客服。</p>"
            "<p>核实后按您的选择补发，或退回有问题商品的货款（原路退回，几天内到账）。"
            "坏了的商品不用寄回。</p>",
        ),
        ("heading", "退换货"),
        (
            "paragraph",
            "<p>生鲜农产品容易变质，没有质量问题的，签收后不支持七天无理由退货。"
            "还没发货的包裹可以联系客服取消，货款全额原路退回。</p>"
            "<p>一个订单里各户的包裹分别发出、分别处理：一户的包裹出了问题，不影响其他包裹。</p>",
        ),
        ("heading", "联系谁"),
        (
            "paragraph",
            "<p>请联系商品页和订单页上写明的社工机构客服（电话或微信），说明订单号和情况。"
            "客服会和农户的社工一起核实，尽快答复您。</p>",
        ),
    ],
}
