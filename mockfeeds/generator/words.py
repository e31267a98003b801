"""Vocabulary of the generated traffic: brands, products, problems, slang, places."""

DELL_CN = ("戴尔", "戴尔", "戴尔", "Dell", "DELL", "戴尔(Dell)")
DELL_PRODUCTS_CN = (
    "XPS 13",
    "XPS 15",
    "XPS",
    "灵越14",
    "灵越15 7000",
    "Inspiron 15",
    "外星人M17",
    "外星人",
    "Alienware",
    "Latitude E7440",
    "Latitude",
    "成就3000",
    "Vostro",
    "U2414H显示器",
    "OptiPlex台式机",
)
ISSUES_CN = (
    "蓝屏",
    "死机",
    "黑屏",
    "风扇狂转",
    "电池鼓包",
    "键盘失灵",
    "开不了机",
    "屏幕闪烁",
    "发热严重",
    "触控板失灵",
    "驱动装不上",
    "WiFi老掉线",
    "充不进电",
    "花屏",
)
SERVICE_CN = ("售后", "客服", "上门维修", "400电话", "服务站", "技术支持")
COMPETITORS_CN = (
    "联想",
    "ThinkPad",
    "Lenovo",
    "惠普",
    "HP",
    "苹果",
    "MacBook",
    "华硕",
    "ASUS",
    "宏碁",
    "Acer",
)
COMPETITOR_PRODUCTS_CN = (
    "ThinkPad X1",
    "联想小新",
    "惠普战66",
    "MacBook Air",
    "MacBook Pro",
    "华硕飞行堡垒",
    "宏碁暗影骑士",
)
PARTS_CN = ("内存", "硬盘", "电池", "键盘", "屏幕", "散热硅脂", "固态硬盘")
SLANG_NEG = ("坑爹", "醉了", "无语", "伤不起", "心塞", "呵呵", "神马都是浮云")
SLANG_POS = ("给力", "点赞", "良心", "靠谱", "赞一个", "666")
EMO_NEG = ("[怒]", "[泪]", "[抓狂]", "[衰]", "[生病]", "[鄙视]", "[晕]", "[怒骂]")
EMO_POS = ("[哈哈]", "[赞]", "[good]", "[爱你]", "[鼓掌]", "[给力]", "[耶]")
EMO_SARC = ("[微笑]", "[呵呵]", "[挖鼻屎]", "[白眼]")
TOPICS_CN = (
    "戴尔",
    "XPS",
    "电脑",
    "售后服务",
    "双十一",
    "求推荐",
    "笔记本",
    "外星人",
    "数码",
)
CITIES_CN = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京")

DELL_EN = ("Dell", "Dell", "@Dell", "DELL")
DELL_PRODUCTS_EN = (
    "XPS 13",
    "XPS 15",
    "Inspiron 15",
    "Alienware m17",
    "Alienware Aurora",
    "Latitude 7490",
    "Dell G5",
    "Precision 5530",
    "U2719D monitor",
)
ISSUES_EN = (
    "keeps blue-screening",
    "won't boot",
    "overheats",
    "has a swollen battery",
    "fan is screaming",
    "keeps dropping WiFi",
    "won't charge",
    "screen flickers",
    "trackpad stopped working",
    "BSODs every hour",
)
COMPETITORS_EN = ("Lenovo", "ThinkPad", "HP", "MacBook", "Apple", "ASUS", "Acer")
TAGS_EN = ("#fail", "#customerservice", "#tech", "#laptop", "#gaming", "#help")
EMOJI_NEG = ("😡", "🙄", "😤", "😭", "🤬", "💀")
EMOJI_POS = ("👍", "🙌", "😍", "🔥", "💯", "❤️")

RENREN_EMO_NEG = ("(大哭)", "(生气)", "(囧)", "(汗)", "(晕)")
RENREN_EMO_POS = ("(酷)", "(哈哈)", "(可爱)", "(赞)", "(耶)")

# Hostile text the product must escape, and the odd bytes it must survive.
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(document.cookie)>',
    "javascript:alert(1)",
    "{{7*7}} ${7*7} '; DROP TABLE mentions;--",
    "\u202eevil\u202c",
)

# (province code, province, [cities with approximate lat, lon]) as Weibo numbers them.
PLACES = (
    ("11", "北京", (("5", "朝阳区", 39.92, 116.44), ("8", "海淀区", 39.96, 116.30))),
    ("11", "北京", (("1", "东城区", 39.93, 116.42),)),
    ("31", "上海", (("15", "浦东新区", 31.22, 121.54), ("4", "徐汇区", 31.19, 121.44))),
    ("44", "广东", (("1", "广州", 23.13, 113.26), ("3", "深圳", 22.54, 114.06))),
    ("33", "浙江", (("1", "杭州", 30.27, 120.16),)),
    ("32", "江苏", (("1", "南京", 32.06, 118.80), ("5", "苏州", 31.30, 120.59))),
    ("51", "四川", (("1", "成都", 30.66, 104.07),)),
    ("42", "湖北", (("1", "武汉", 30.59, 114.31),)),
    ("61", "陕西", (("1", "西安", 34.27, 108.95),)),
    ("23", "黑龙江", (("1", "哈尔滨", 45.78, 126.57),)),
    ("400", "海外", (("1", "美国", 37.77, -122.42),)),
    ("100", "其他", (("1000", "", 0.0, 0.0),)),
)
EN_PLACES = (
    "Austin, TX",
    "Round Rock, Texas",
    "London",
    "New York, NY",
    "Bangalore, India",
    "Singapore",
    "Sydney",
    "Toronto",
    "Dublin, Ireland",
    "",
    "",
)

NICK_HEADS = (
    "小",
    "阿",
    "老",
    "爱吃鱼的",
    "会飞的",
    "不加糖的",
    "北京",
    "深圳",
    "宅男",
    "学霸",
    "懒懒的",
    "数码控",
)
NICK_BODIES = (
    "猫",
    "胖子",
    "明",
    "王",
    "兔子",
    "布丁",
    "码农",
    "大叔",
    "小姐姐",
    "同学",
    "企鹅",
    "土豆",
    "木头",
    "阿杰",
)
NICK_TAILS = ("", "", "", "_", "酱", "君", "2010", "88", "的小窝", "是我", "007")
PINYIN = (
    "zhang",
    "wang",
    "li",
    "zhao",
    "chen",
    "liu",
    "yang",
    "huang",
    "xiaoyu",
    "jiajia",
    "tiantian",
    "haohao",
)
DESCRIPTIONS_CN = (
    "爱生活，爱数码",
    "IT民工一枚",
    "学生党",
    "摄影爱好者",
    "吃货一枚",
    "程序员，偶尔写诗",
    "游戏宅",
    "考研中，勿扰",
    "",
    "",
)
COLLEGES = (
    "北京大学",
    "清华大学",
    "复旦大学",
    "浙江大学",
    "武汉大学",
    "中山大学",
    "四川大学",
    "西安交通大学",
    "华中科技大学",
    "南京大学",
)
EN_FIRST = (
    "Sarah",
    "Mike",
    "Priya",
    "Tom",
    "Jess",
    "Raj",
    "Emily",
    "Chris",
    "Ana",
    "Dave",
    "Kenji",
    "Liam",
)
EN_LAST = ("K", "Smith", "Patel", "Nguyen", "Brown", "Garcia", "Lee", "O'Brien")
EN_DESCRIPTIONS = (
    "Gamer. Coffee. Code.",
    "Sysadmin by day, gamer by night",
    "Photographer | Traveller",
    "CS student",
    "Opinions my own",
    "",
    "",
)

WEIBO_SOURCES = (
    "iPhone客户端",
    "Android客户端",
    "微博 weibo.com",
    "新浪微博",
    "皮皮时光机",
    "360安全浏览器",
    "",
)
TWITTER_SOURCES = (
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter Web App",
    "TweetDeck",
)
RENREN_SOURCES = ("人人网手机客户端", "人人网", "iPhone人人")
