"""Word lists for the reflection screen's name heuristic (data only).

FIRST_NAMES is a general list of common first names in the UK across several heritages; it is not drawn from the
test corpus. GENERIC holds capitalised words that are not personal names in this setting: agency and practice terms,
systems, days, months, holidays, nationalities, faiths, large places and common sentence words. Everything is
lowercase; callers compare with ``word.lower()``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


FIRST_NAMES = _words(
    """
    oliver george harry noah leo arthur muhammad mohammed mohammad mohamed oscar charlie jacob thomas henry william
    alfie joshua freddie archie ethan isaac alexander joseph edward samuel max logan lucas daniel theo theodore arlo
    harrison benjamin mason sebastian finley adam dylan zachary riley teddy jaxon tommy toby louie reggie albert rory
    elijah jude hugo luca carter jenson reuben ronnie albie frankie bobby tyler kai elliot elliott stanley harley jake
    jayden callum kyle connor conor liam ryan james matthew luke lewis aaron nathan jordan cameron bradley kieran kieron
    jamie sean shaun owen rhys dean darren wayne craig lee gary paul stephen steven andrew david michael christopher
    richard robert peter john simon neil ian kevin anthony tony martin jason scott stuart graham keith colin derek
    trevor barry terry gavin carl karl dale shane ashley leon marcus reece declan niall patrick brendan ciaran cian
    dominic damian adrian alan alistair angus hamish euan ewan fraser gregor ross lachlan harvey frederick louis tristan
    jasper felix rafael gabriel nathaniel caleb ezra ibrahim yusuf omar ali hassan hussain ahmed ahmad bilal hamza
    imran zain ayaan aryan arjun rohan vikram rahul sanjay amit raj ravi harpreet gurpreet jaspreet mandeep tariq khalid
    kareem karim faisal usman abdul abdullah yasin idris musa tobi tunde chidi emeka kwame kofi kwabena femi segun
    obinna chinedu jerome tyrone delroy winston leroy marlon andre jermaine kadeem malachi dwayne kacper jakub szymon
    mateusz piotr tomasz krzysztof marek pawel lukasz andrei alexandru ionut florin bogdan mihai vlad dmitri ivan
    nikolai mario marco luigi giovanni antonio jose carlos diego pedro miguel dave steve mike rob tom dan ben sam joe
    jon jim jimmy billy danny kenny lenny mickey stevie davey andy nick chris matt phil pete tim ted fred alf ron reg
    sid stan ernie bert wilf alec len vic des nigel malcolm clive dennis roy geoff jeff kenneth brian norman raymond
    howard gordon graeme leslie harold douglas duncan jay josh zac zack alex harris hayden brandon corey kane mikey
    kian keegan kayden brody bailey charley charles frank jonathan nicholas timothy vincent victor warren wesley
    olivia amelia isla ava mia lily isabella rosie sophia freya florence evie ella emily sophie charlotte elsie
    isabelle millie sienna harper phoebe matilda evelyn ellie alice luna maya aria layla esme eliza ada hallie margot
    thea maisie molly mollie erin imogen lucy scarlett chloe jessica hannah lauren megan rebecca sarah amy laura emma
    rachel rachael gemma kirsty nicola claire clare lisa michelle kelly joanne donna tracey tracy sharon karen julie
    susan helen angela amanda deborah debbie alison catherine katherine kate katie kathryn jennifer jenny elizabeth
    beth bethany natalie natasha jade kayleigh kayla stacey leanne danielle samantha kimberley kerry shannon courtney
    chantelle shanice tia tiana keisha aaliyah abigail paige bethan cerys ffion seren niamh aoife siobhan roisin orla
    ciara caitlin eilidh kirsten fiona morag mhairi shona pauline maureen margaret patricia linda barbara janet jean
    joan sandra brenda sheila christine elaine wendy valerie denise lorraine jacqueline jackie beverley gillian jill
    mandy vicky nikki zoe zara yasmin jasmine aisha ayesha fatima maryam mariam zainab khadija hafsa sana amina amira
    noor nadia samira leila sara hina priya anjali sunita kiran pooja neha simran harleen parveen nasreen shabana
    rukhsana shazia chioma ngozi adaeze amara folake funmi yetunde abena akosua esi efua marcia sonia janice yvonne
    paulette agnieszka katarzyna magdalena joanna aleksandra natalia oliwia zuzanna maja julia ioana elena andreea
    maria ana anna olga irina svetlana daria bernadette kelsey kacey jodie jodi toni demi leah lacey harriet ruth
    naomi esther miriam melissa vanessa tanya sasha tamara carla marie louise skye georgia lola nevaeh ebony kerys
    """
)

# Titles that come before a surname; the title is part of what is redacted.
TITLES = _words(
    "mr mrs ms miss mx dr prof pc dc ds di dci sgt insp cllr nurse sister father rev revd sir dame pcso dsgt det supt"
    " sergeant constable inspector detective ps dsu dcs dsupt imam pastor rabbi judge hhj fr"
)
# Titles after which the surname may be an ordinary word ("DC Ward", "Mrs Green").
HONORIFICS = _words("mr mrs ms miss mx dr prof pc dc ds di dci sgt insp cllr rev revd sir dame pcso dsgt det supt")
# Family words used as titles ("Uncle Tariq"); only the name after them is redacted.
KIN_TITLES = _words("uncle aunt auntie aunty nan nana nanna gran granny grandma grandad grandpa")
# Words after which a capitalised word is very likely a name ("her brother Kyle", "a boy called Reece").
CUE_WORDS = _words(
    """
    called named mum mother dad father brother sister nan nana nanna gran granny grandma grandad grandpa grandmother
    grandfather aunt auntie aunty uncle cousin son daughter stepdad stepmum step-dad step-mum stepfather stepmother
    partner boyfriend girlfriend husband wife manager colleague friend baby lodger carer girl boy twin sibling
    supervisor
    """
)

FUNCTION_WORDS = _words(
    """
    i i'm i've i'd i'll a an the this that these those it its it's he she they we you our my his her their your what
    when where who why how which there here and or but so if then also as at by for from in into of on to with without
    after before since until during about over under all any some none no not nobody everyone everything nothing one
    two three four five six seven eight nine ten first second third last next new old other another each every both
    many most more less few very just still even only yes please thanks thank hi hello dear ok okay however although
    though because while whilst once again maybe perhaps honestly really is was are were be been being have has had do
    does did can could would should will shall may might must let lets we're we've they're there's that's what's
    """
)

_DOMAIN = """
    op ops society societies caseload caseloads prevent emotional wellbeing re sat sun mon tue tues wed thu thur thurs
    fri im ive dont cant wont didnt isnt wasnt thats theyre theyll youre yr yrs civic minority ethnic analysis trauma
    forced marriage missing persons abuse investigation protection exploitation secure specialist adolescent custody
    tigrinya amharic urdu punjabi bengali bangla sylheti arabic farsi dari pashto kurdish sorani lithuanian portuguese
    twi yoruba igbo hausa swahili cantonese mandarin vietnamese albanian turkish russian ukrainian gujarati tamil hindi
    haribo garmin balenciaga balenciagas chrome firefox safari iphone ipad android nintendo ps5 response
    neighbourhood statement offences deaths anyway meanwhile basically btw women men sanctuary
    agency agencies authority authorities board care child children children's childrens social services service team
    teams family families front door early help hub multi multi-agency agency-wide safeguarding partnership partners
    panel review reviews rapid practice learning brief briefing briefings minute designated lead named nurse nurses
    doctor doctors gp gps health visitor visitors visiting school schools nursing police policing officer officers
    constabulary force court courts crown youth justice offending probation housing council councils county city
    borough district local national government department education emergency duty out hours hospital hospitals ward
    wards infirmary royal general university trust trusts nhs integrated commissioning group groups conference
    conferences protection plan plans strategy discussion discussions meeting meetings core initial need needs looked
    leaving edge adoption fostering foster residential home homes unit units liaison paediatric paediatrics midwifery
    midwife midwives maternity neonatal accident mental camhs adult adults substance misuse drug drugs alcohol domestic
    abuse violence act acts section sections working together framework guidance procedure procedures policy policies
    protocol threshold thresholds signs safety graded profile operation encompass marac mappa dash risk assessment
    assessments think contextual virtual head deputy senior manager managers principal worker workers practitioner
    practitioners chair director directors assistant executive chief inspector superintendent commissioner ofsted cqc
    elective educated send sen senco ehcp special educational pupil pupils referral referrals alternative provision
    attendance exclusion reception nursery primary secondary high sixth form college colleges academy academies
    further higher community centre center start sure troubled supporting years healthy programme program pathway
    public serious case cases week day days weeks month months quarter year annual report reports event events
    intranet portal system systems record records chronology chronologies mosaic liquidlogic eclipse emis systmone rio
    niche athena pnc storm connect microsoft slack zoom outlook gmail whatsapp snapchat instagram tiktok facebook
    youtube google apple android iphone twitter discord roblox fortnite minecraft xbox playstation childline nspcc
    barnardo's barnardos samaritans refuge women's aid shelter mind relate number no ref reference id mum dad mummy
    daddy nan baby child's baby's lado mash dsl dsls hr eap occupational counselling wellbeing supervision reflective
    reflection reflections recommendation recommendations action actions impact evidence audit audits induction
    training conference's tier level step down up lead's office offices centre's hub's learning's partnership's
    panel's review's team's service's council's authority's agency's board's trust's school's academy's college's
    hospital's court's police's ofsted's street road lane avenue close crescent drive way grove terrace gardens place
    mews walk row square hill rise view park parade green vale quay wharf yard boulevard house tower towers mansions
    lodge point heights buildings block flats estate estates infant infants junior juniors grammar catholic church
    cofe c.e. ce rc pru academy's trust's student students teacher teachers teaching head's deputy's independent
    reviewing advisor adviser coordinator co-ordinator co idva isva iro medical surgery clinic room project club
    keeping safe kcsie
    """

_PEOPLE_AND_TIME = """
    black white asian british english scottish welsh irish northern european eastern western southern african
    caribbean polish romanian lithuanian latvian slovak czech roma gypsy traveller travellers pakistani indian
    bangladeshi somali eritrean sudanese afghan syrian iraqi iranian kurdish turkish arabic urdu punjabi bengali
    gujarati tamil chinese vietnamese filipino nigerian ghanaian zimbabwean congolese ukrainian russian portuguese
    spanish italian french german muslim christian jewish hindu sikh buddhist islamic orthodox mosque temple
    gurdwara synagogue god allah jesus quran bible ramadan eid diwali christmas easter hanukkah passover vaisakhi lent
    advent halloween bonfire monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays
    thursdays fridays saturdays sundays weekend weekends january february march april may june july august september
    tues weds thur thurs october november december jan feb mar apr jun jul aug sep sept oct nov dec
    spring summer autumn winter half term
    bank holiday holidays covid covid-19 coronavirus lockdown brexit internet online
    england scotland wales ireland uk britain london manchester birmingham leeds liverpool sheffield bristol newcastle
    nottingham leicester coventry bradford cardiff swansea glasgow edinburgh aberdeen dundee belfast derry hull york
    stoke wolverhampton plymouth southampton portsmouth brighton reading oxford cambridge norwich ipswich exeter bath
    gloucester cheltenham swindon luton milton keynes northampton peterborough derby lincoln doncaster rotherham
    barnsley wakefield huddersfield halifax blackburn blackpool preston bolton wigan oldham rochdale salford stockport
    warrington chester crewe wirral sunderland middlesbrough durham darlington carlisle lancaster kent essex surrey
    sussex devon cornwall somerset dorset hampshire yorkshire lancashire cumbria northumberland midlands west east
    north south greater metropolitan merseyside tyne wear teesside croydon lambeth hackney southwark newham islington
    camden haringey enfield barnet brent ealing harrow hillingdon hounslow kingston merton sutton wandsworth lewisham
    greenwich bexley bromley havering redbridge barking dagenham westminster kensington hammersmith fulham
    """

_LOCAL_AUTHORITIES = """
    isle wight scilly kirklees calderdale tameside trafford sefton knowsley halton cheshire shropshire telford wrekin
    sandwell dudley walsall solihull warwickshire worcestershire herefordshire gloucestershire wiltshire berkshire
    buckinghamshire oxfordshire hertfordshire bedfordshire bedford cambridgeshire norfolk suffolk lincolnshire
    nottinghamshire derbyshire leicestershire rutland northamptonshire staffordshire medway thurrock southend slough
    windsor maidenhead bracknell wokingham poole bournemouth torbay hartlepool stockton redcar cleveland gateshead
    tyneside cumberland westmorland furness bury darwen hyndburn burnley pendle flintshire wrexham denbighshire conwy
    gwynedd anglesey powys ceredigion pembrokeshire carmarthenshire neath bridgend glamorgan rhondda cynon taf merthyr
    tydfil caerphilly blaenau gwent torfaen monmouthshire newport fife lothian ayrshire lanarkshire renfrewshire
    highland moray perth kinross stirling falkirk clackmannanshire dumfries galloway borders inverclyde dunbartonshire
    orkney shetland eilean siar richmondshire harrogate scarborough selby craven hambleton ryedale
    """

_SENTENCE_WORDS = """
    positive negative good bad great better best worse worst useful helpful honest honesty recording race culture
    identity interpreters interpreter transitions exploitation neglect curiosity professional professionals curious
    small big little large short long quick slow clear clearer simple simply thanks note notes overall summary key
    main example examples question questions answer answers idea ideas problem problems issue issues gap gaps
    strength strengths theme themes finding findings lesson lessons point points part parts today tomorrow yesterday
    tonight morning afternoon evening night now then later soon recently currently previously historically again
    everyone someone anyone nobody people person staff colleague colleagues manager's worker's parent parents carer
    carers mother father brother sister son daughter partner boyfriend girlfriend grandparents grandparent kids kid
    boy girl boys girls baby babies toddler toddlers teenager teenagers adolescent adolescents young
    source sources caller callers informant informants witness witnesses victim victims suspect suspects complainant
    offender offenders perpetrator perpetrators defendant defendants nominal nominals subject patient patients client
    clients resident residents tenant tenants neighbour neighbours
    aye wee lass lassie bairn bairns wean weans och anti bullying flying
    """

GENERIC = (
    FUNCTION_WORDS | _words(_DOMAIN) | _words(_PEOPLE_AND_TIME) | _words(_LOCAL_AUTHORITIES) | _words(_SENTENCE_WORDS)
)

# Words that stop "X Street" being read as an address ("High Street", "Mental Health Street Triage").
STREET_BLOCK = FUNCTION_WORDS | _words(
    "health mental early front high main care social service services practice learning family court youth child"
    " children safeguarding police council help team crown magistrates magistrates' county supreme appeal coroner's"
    " coroners civil criminal juvenile district sheriff royal combined"
)

# Capitalised words that make the word before them a place or service name ("Brookside Medical Practice").
PLACE_WORDS = _words(
    """
    practice surgery medical clinic centre center room hospital ward unit hub club trust council project service
    services house court station library church mosque temple park estate campus programme program scheme
    initiative pathway
    """
)

# Words that make a capitalised word before them part of a named condition, law, tool or organisation, not a person
# ("Down's syndrome", "Clare's Law", "Caldicott principles", "von Willebrand disease", "the Kooth partnership").
EPONYM_HEADS = _words(
    """
    syndrome syndromes disease palsy purpura sarcoma law laws principle principles guardian guardians scale criteria
    partnership foundation charity hotel academy questionnaire triangle cycle model framework toolkit
    """
)

# Surnames that name a ruling, a report or an inquiry in this work ("Gillick competent", "Fraser guidelines", "the
# Laming report", "Caldicott", "the Munro review"): not a person's name before such a word, nor alone when they are not
# also first names (or, for "Fraser", in a talk about consent or sexual health).
EPONYMS = _words(
    """
    gillick fraser caldicott bichard laming munro wood jay climbie lampard macalister ockenden kirkup francis savile
    warnock marmot tickell casey plowden cleveland orkney waterhouse jillings
    """
)
EPONYM_AFTER = _words(
    """
    competence competency competent guidelines guideline guidance criteria principles principle report reports review
    reviews inquiry inquiries enquiry recommendations recommendation ruling judgment judgement test rules standards
    """
)
# Children whose deaths led to national reviews, named in training and practice: not a child the author works with.
PUBLIC_CASES = frozenset(
    {
        ("victoria", "climbie"),
        ("peter", "connelly"),
        ("baby", "p"),
        ("daniel", "pelka"),
        ("khyra", "ishaq"),
        ("hamzah", "khan"),
        ("arthur", "labinjo-hughes"),
        ("star", "hobson"),
        ("eileen", "munro"),
        ("herbert", "laming"),
        ("lord", "laming"),
        ("josh", "macalister"),
        ("louise", "casey"),
        ("donna", "ockenden"),
        ("alexis", "jay"),
    }
)
# Particles of surnames ("van Dijk", "de Souza", "bin Laden"): a name only with a name after them ("Van was let go").
PARTICLES = _words("van von de da di du le la del della der den ter ten al el bin ibn ap dos das")

# Common English words that are also first names or surnames. A roster name in this set only matches when it is
# written with a capital letter, so "I will" does not match a colleague called Will.
WORDLIKE_NAMES = _words(
    """
    will may mark bill hope grace faith joy rose dawn summer amber ruby jade holly ivy daisy poppy lily violet pearl
    crystal sky rich frank guy pat sue ray don dean jack chase hunter mason carol robin heather olive angel precious
    star miles drew gene bob sandy rocky patience honor harmony destiny autumn storm brook reed wade grant ward hall
    hill wood green white black brown young king bell cook baker turner walker price lamb fox hunt field marsh banks
    mills lane page bird stone day law parish little best gold sharp strong hardy english french savage sweet short
    long rice moss bush lord bishop church chapel knight power cross small north south west east park house bond case
    booth burns head nurse carter mercy sunny
    """
)

# Shops, food chains, car makes, banks, benefits, apps and services that people name in passing ("left my trolley in
# Aldi", "a silver Audi"). Hand-kept: no maintained package lists UK brands. Towns and countries come from
# handlers.screen_place_data.
BRANDS = _words(
    """
    tesco tesco's lidl aldi asda morrisons sainsbury sainsbury's sainsburys waitrose ocado co-op coop spar londis
    nisa budgens greggs primark boots superdrug argos currys matalan tkmaxx wilko poundland poundstretcher b&m
    bargains iceland costco ikea mcdonalds mcdonald's maccies kfc nandos nando's subway costa starbucks pret
    wetherspoons spoons domino's dominos deliveroo uber ubereats amazon ebay vinted netflix spotify paypal klarna
    barclays lloyds natwest santander hsbc monzo halifax asos nike adidas jd footlocker gucci samsung huawei
    vodafone virgin o2 bt audi bmw ford vauxhall toyota nissan honda mercedes volkswagen vw kia hyundai peugeot
    renault fiat skoda citroen volvo tesla range rover jaguar lexus mazda suzuki yamaha lime halfords screwfix
    selfridges harrods debenhams asda's aldi's lidl's greggs' mcdonald's nandos' snapchat's roblox's
    universal credit pip dla motability telegram signal threads bereal yubo omegle onlyfans fortnite call duty
    gta catch22 brook premier inn travelodge barnardo kingdom hall contact
    golf polo corsa astra fiesta mondeo kuga clio micra qashqai juke yaris corolla prius civic octavia fabia
    ibiza evoque discovery defender transit sprinter vivaro berlingo picasso zafira insignia mini
    merc beemer ubers
    snap insta kooth salvation language line humberside northumbria avon dyfed hong kong
    """
)
# Lower-case words that the name lists hold but that are ordinary words or abbreviations in this setting
# ("the paeds reg", "body cam", "era", "doc"): never a name in lower case on their own.
LOWER_CASE_NOT_NAMES = _words(
    """
    reg regs cam cams sw dsl mash doc docs era min pan del con jazz von echo den pal neo mercedes col norm boo meme
    papa tel baron abs bra gem mat gel guru tee gal sim wan dong polo ping dev blu ole mag bon mart sol shin bali
    gin ale chic dell hal kin raf bam lan ding geo wiki ness costa sierra milan genesis everton wellington hilton
    aston newton sultan tate lance drake pierce cruz mac chan sen gp ed em mo ash bea dot rob art val viv pat cal
    childminder nanny abdo obs paeds pastor dee resi
    """
)
