<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AccessBar</name>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>الرئيسية</translation>
    </message>
    <message>
        <source>Home: all offers, no search</source>
        <translation>الرئيسية: كل العروض بدون بحث</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>نص كبير</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>تباين عالٍ</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>وقت إضافي</translation>
    </message>
    <message>
        <source>Within reach</source>
        <translation>في متناول اليد</translation>
    </message>
    <message>
        <source>Everything within reach at the bottom of the screen</source>
        <translation>كل شيء في متناول اليد أسفل الشاشة</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>خروج</translation>
    </message>
    <message>
        <source>Finish: clear everything and leave</source>
        <translation>إنهاء: مسح كل شيء والمغادرة</translation>
    </message>
</context>
<context>
    <name>Apply</name>
    <message>
        <source>Please fill this in.</source>
        <translation>يرجى ملء هذا الحقل.</translation>
    </message>
    <message>
        <source>This is too long.</source>
        <translation>هذا طويل جدًا.</translation>
    </message>
    <message>
        <source>Use letters only (spaces, hyphens and apostrophes are fine).</source>
        <translation>استعمل الحروف فقط (المسافات والشَّرطات والفواصل العليا مقبولة).</translation>
    </message>
    <message>
        <source>Write your name with letters.</source>
        <translation>اكتب اسمك بالحروف.</translation>
    </message>
    <message>
        <source>This contains an invisible or special character that cannot be sent. Please clear the field and type it again.</source>
        <translation>يحتوي هذا الحقل على حرف غير مرئي أو خاص لا يمكن إرساله. امسح الحقل واكتبه من جديد.</translation>
    </message>
    <message>
        <source>This phone number does not look right: compare it with the example above.</source>
        <translation>رقم الهاتف هذا لا يبدو صحيحًا: قارنه بالمثال أعلاه.</translation>
    </message>
    <message>
        <source>Give a number without an extension, one that reaches you directly.</source>
        <translation>أدخل رقمًا بدون تحويلة داخلية، رقمًا يصلك مباشرة.</translation>
    </message>
    <message>
        <source>Use only digits, spaces, and a + at the start.</source>
        <translation>استعمل الأرقام والمسافات فقط، وعلامة + في البداية.</translation>
    </message>
    <message>
        <source>This e-mail address does not look right. Example: marie.dupont@exemple.fr</source>
        <translation>عنوان البريد الإلكتروني هذا لا يبدو صحيحًا. مثال: ⁦marie.dupont@exemple.fr⁩</translation>
    </message>
    <message>
        <source>Give a phone number or an e-mail address so that the recruiter can reach you.</source>
        <translation>أعطِ رقم هاتف أو عنوان بريد إلكتروني ليتمكن صاحب العمل من الاتصال بك.</translation>
    </message>
    <message>
        <source>Tick the box to agree to share these details with the recruiter.</source>
        <translation>ضع علامة في المربع للموافقة على مشاركة هذه المعلومات مع صاحب العمل.</translation>
    </message>
    <message>
        <source>Choose one of the answers.</source>
        <translation>اختر إحدى الإجابات.</translation>
    </message>
    <message>
        <source>Give a phone number or an e-mail address so that the job agency can reach you.</source>
        <translation>اكتب رقم هاتف أو عنوان بريد إلكتروني لكي تتمكن وكالة التشغيل من الاتصال بك.</translation>
    </message>
    <message>
        <source>Tick the box to agree to share these details with the job agency.</source>
        <translation>ضع علامة في المربع للموافقة على مشاركة هذه المعلومات مع وكالة التشغيل.</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>اللقب</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>الهاتف</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>البريد الإلكتروني</translation>
    </message>
    <message>
        <source>Available now</source>
        <translation>متاح الآن</translation>
    </message>
    <message>
        <source>Experience in this job</source>
        <translation>الخبرة في هذه المهنة</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>رخصة القيادة</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>نعم</translation>
    </message>
    <message>
        <source>No</source>
        <translation>لا</translation>
    </message>
    <message>
        <source>None</source>
        <translation>لا شيء</translation>
    </message>
    <message>
        <source>Less than 1 year</source>
        <translation>أقل من سنة</translation>
    </message>
    <message>
        <source>1 to 3 years</source>
        <translation>من سنة إلى 3 سنوات</translation>
    </message>
    <message>
        <source>More than 3 years</source>
        <translation>أكثر من 3 سنوات</translation>
    </message>
    <message>
        <source>Sorry, this terminal cannot take applications right now. Please apply from your phone.</source>
        <translation>عذرًا، لا يمكن لهذه الشاشة استقبال الطلبات حاليًا. قدِّم طلبك من هاتفك.</translation>
    </message>
    <message>
        <source>Your name and your phone number or e-mail go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can contact you about this job. Nothing is kept on this terminal once it is sent. The recruiter&apos;s side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>يُرسَل اسمك ورقم هاتفك أو بريدك الإلكتروني إلى صاحب العمل لهذا العرض فقط، عن طريق وكالة التشغيل التي تدير هذه الشاشة، ليتصل بك بشأن هذه الوظيفة. لا يُحفَظ شيء على هذه الشاشة بعد الإرسال. تُحفَظ هذه المعلومات %1 يومًا على الأكثر. للاطلاع عليها أو طلب حذفها، اتصل بالوكالة مع رمزك المرجعي.</translation>
    </message>
    <message>
        <source>Your name and your phone number go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can call you back about this job. Nothing is kept on this terminal once it is sent. The recruiter&apos;s side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>يُرسَل اسمك ورقم هاتفك إلى صاحب العمل لهذا العرض فقط، عن طريق وكالة التشغيل التي تدير هذه الشاشة، ليعاود الاتصال بك بشأن هذه الوظيفة. لا يُحفَظ شيء على هذه الشاشة بعد الإرسال. تُحفَظ هذه المعلومات %1 يومًا على الأكثر. للاطلاع عليها أو طلب حذفها، اتصل بالوكالة مع رمزك المرجعي.</translation>
    </message>
    <message>
        <source>Your application is saved</source>
        <translation>تم حفظ طلبك</translation>
    </message>
    <message>
        <source>Your application is sent</source>
        <translation>تم إرسال طلبك</translation>
    </message>
    <message>
        <source>Your request is saved</source>
        <translation>تم حفظ طلب معاودة الاتصال</translation>
    </message>
    <message>
        <source>Your request is sent</source>
        <translation>تم إرسال طلب معاودة الاتصال</translation>
    </message>
    <message>
        <source>It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the recruiter as soon as the network allows. You have nothing more to do.</source>
        <translation>إنه محفوظ بأمان على هذه الشاشة، مقفل بحيث لا تقرؤه إلا الوكالة، وسيُرسَل إلى صاحب العمل حالما تسمح الشبكة بذلك. لا شيء آخر عليك فعله.</translation>
    </message>
    <message>
        <source>It has reached the job agency, which passes it on to the recruiter.</source>
        <translation>وصل إلى وكالة التشغيل، التي تنقله إلى صاحب العمل.</translation>
    </message>
</context>
<context>
    <name>ApplyScreen</name>
    <message>
        <source>Check what the recruiter will receive</source>
        <translation>تحقق مما سيتلقاه صاحب العمل</translation>
    </message>
    <message>
        <source>Be called back about this offer</source>
        <translation>طلب اتصال بخصوص هذا العرض</translation>
    </message>
    <message>
        <source>Apply to this offer</source>
        <translation>التقدم لهذا العرض</translation>
    </message>
    <message>
        <source>Your reference code: %1</source>
        <translation>رمزك المرجعي: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>an error: the field, the error</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>an answer chip: its question, its answer</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>No CV needed: the recruiter calls you back.</source>
        <translation>لا حاجة إلى سيرة ذاتية: صاحب العمل يتصل بك.</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>اللقب</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>الهاتف</translation>
    </message>
    <message>
        <source>Example:</source>
        <translation>مثال:</translation>
    </message>
    <message>
        <source>Check what the job agency will receive</source>
        <translation>تحقق مما ستتلقاه وكالة التشغيل</translation>
    </message>
    <message>
        <source>Spontaneous application</source>
        <translation>طلب توظيف تلقائي</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a spontaneous application: the firm, the trade</comment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No CV needed: the job agency calls you back.</source>
        <translation>لا حاجة إلى سيرة ذاتية: وكالة التشغيل تتصل بك.</translation>
    </message>
    <message>
        <source>Or e-mail</source>
        <translation>أو البريد الإلكتروني</translation>
    </message>
    <message>
        <source>Optional: a few quick answers for the job agency</source>
        <translation>اختياري: بعض الإجابات السريعة لوكالة التشغيل</translation>
    </message>
    <message>
        <source>Optional: a few quick answers for the recruiter</source>
        <translation>اختياري: بعض الإجابات السريعة لصاحب العمل</translation>
    </message>
    <message>
        <source>Available now</source>
        <translation>متاح الآن</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>نعم</translation>
    </message>
    <message>
        <source>No</source>
        <translation>لا</translation>
    </message>
    <message>
        <source>Experience in this job</source>
        <translation>الخبرة في هذه المهنة</translation>
    </message>
    <message>
        <source>None</source>
        <translation>لا شيء</translation>
    </message>
    <message>
        <source>Less than 1 year</source>
        <translation>أقل من سنة</translation>
    </message>
    <message>
        <source>1 to 3 years</source>
        <translation>من سنة إلى 3 سنوات</translation>
    </message>
    <message>
        <source>More than 3 years</source>
        <translation>أكثر من 3 سنوات</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>رخصة القيادة</translation>
    </message>
    <message>
        <source>I agree to share these details with the job agency, which may pass them on to this firm</source>
        <translation>أوافق على مشاركة هذه المعلومات مع وكالة التشغيل، التي قد تنقلها إلى هذه الشركة</translation>
    </message>
    <message>
        <source>I agree to share these details with the recruiter of this offer</source>
        <translation>أوافق على مشاركة هذه المعلومات مع صاحب العمل لهذا العرض</translation>
    </message>
    <message>
        <source>Check what the job agency will receive:</source>
        <translation>تحقق مما ستتلقاه وكالة التشغيل:</translation>
    </message>
    <message>
        <source>An adviser of the job agency calls you back: not the firm itself. Keep this code: it lets you ask the agency about your application or have your details deleted.</source>
        <translation>يتصل بك مستشار من وكالة التشغيل، وليس الشركة نفسها. احتفظ بهذا الرمز: يتيح لك السؤال عن طلبك لدى الوكالة أو طلب حذف معلوماتك.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة</translation>
    </message>
    <message>
        <source>Check what the recruiter will receive:</source>
        <translation>تحقق مما سيتلقاه صاحب العمل:</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a review row: its label, its value</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>تعديل</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <source>Your reference code:</source>
        <translation>رمزك المرجعي:</translation>
    </message>
    <message>
        <source>The recruiter receives your details and contacts you if your profile fits. Keep this code: it lets you ask the agency about your application or have your details deleted.</source>
        <translation>يتلقى صاحب العمل معلوماتك ويتصل بك إذا كان ملفك مناسبًا. احتفظ بهذا الرمز: يتيح لك السؤال عن طلبك لدى الوكالة أو طلب حذف معلوماتك.</translation>
    </message>
    <message>
        <source>Scan to keep this offer on your phone</source>
        <translation>امسح الرمز للاحتفاظ بهذا العرض على هاتفك</translation>
    </message>
    <message>
        <source>See similar offers</source>
        <translation>عرض عروض مشابهة</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>إنهاء</translation>
    </message>
</context>
<context>
    <name>Attract</name>
    <message numerus="yes">
        <source>%n min walk</source>
        <translation>
            <numerusform>%n دقيقة سيرًا</numerusform>
            <numerusform>دقيقة واحدة سيرًا</numerusform>
            <numerusform>دقيقتان سيرًا</numerusform>
            <numerusform>%n دقائق سيرًا</numerusform>
            <numerusform>%n دقيقة سيرًا</numerusform>
            <numerusform>%n دقيقة سيرًا</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 near %2</source>
        <comment>offers, place</comment>
        <translation>%1 قرب %2</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Job offers near here</source>
        <translation>عروض عمل بالقرب من هنا</translation>
    </message>
    <message>
        <source>Touch the screen or press any key to start. For audio guidance, hold your finger on the screen or press F2.</source>
        <translation>المس الشاشة أو اضغط على أي زر للبدء. للإرشاد الصوتي، أبقِ إصبعك على الشاشة أو اضغط على F2.</translation>
    </message>
    <message>
        <source>The nearest offers</source>
        <translation>أقرب العروض</translation>
    </message>
    <message>
        <source>Touch the screen to start</source>
        <translation>المس الشاشة للبدء</translation>
    </message>
    <message>
        <source>Training, CV, help with digital</source>
        <translation>التكوين، السيرة الذاتية، المساعدة الرقمية</translation>
    </message>
    <message>
        <source>Services: training, CV, help with digital</source>
        <translation>خدمات: التكوين، السيرة الذاتية، المساعدة الرقمية</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>نص كبير</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>تباين عالٍ</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>وقت إضافي</translation>
    </message>
    <message>
        <source>Within reach</source>
        <translation>في متناول اليد</translation>
    </message>
</context>
<context>
    <name>Browse</name>
    <message>
        <source>Try removing a filter or searching for another word.</source>
        <translation>جرّب إزالة أحد المرشحات أو البحث عن كلمة أخرى.</translation>
    </message>
    <message>
        <source>Try another word, or check the spelling.</source>
        <translation>جرّب كلمة أخرى أو تحقّق من الإملاء.</translation>
    </message>
</context>
<context>
    <name>BrowseScreen</name>
    <message>
        <source>Job offers near here</source>
        <translation>عروض عمل بالقرب من هنا</translation>
    </message>
    <message>
        <source>Job, company, town…</source>
        <translation>مهنة، شركة، مدينة…</translation>
    </message>
    <message>
        <source>Search offers</source>
        <translation>البحث في العروض</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>مسح البحث</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>المرشحات</translation>
    </message>
    <message>
        <source>Remove every filter</source>
        <translation>إزالة كل المرشحات</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>خدمات</translation>
    </message>
    <message>
        <source>Services: training, CV, help with digital</source>
        <translation>خدمات: التكوين، السيرة الذاتية، المساعدة الرقمية</translation>
    </message>
    <message>
        <source>No offer matches your search</source>
        <translation>لا يوجد عرض يطابق بحثك</translation>
    </message>
    <message>
        <source>Remove the filters</source>
        <translation>إزالة المرشحات</translation>
    </message>
    <message>
        <source>The offers cannot be shown right now.</source>
        <translation>لا يمكن عرض العروض الآن.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>أعد المحاولة</translation>
    </message>
</context>
<context>
    <name>Detail</name>
    <message>
        <source>The job</source>
        <translation>الوظيفة</translation>
    </message>
    <message>
        <source>Responsibilities</source>
        <translation>المهام</translation>
    </message>
    <message>
        <source>Working hours</source>
        <translation>ساعات العمل</translation>
    </message>
    <message>
        <source>Salary</source>
        <translation>الراتب</translation>
    </message>
    <message>
        <source>Benefits</source>
        <translation>المزايا</translation>
    </message>
    <message>
        <source>Experience</source>
        <translation>الخبرة</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>المؤهلات</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>المهارات</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>التكوين</translation>
    </message>
    <message>
        <source>Driving licences</source>
        <translation>رخص السياقة</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>اللغات</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>الشركة</translation>
    </message>
    <message>
        <source>Published by</source>
        <translation>نُشر العرض على</translation>
    </message>
    <message>
        <source>required</source>
        <translation>مطلوب</translation>
    </message>
    <message>
        <source>desirable</source>
        <translation>مرغوب فيه</translation>
    </message>
    <message>
        <source>The recruiter gave no description.</source>
        <translation>لم يقدّم صاحب العمل وصفًا.</translation>
    </message>
    <message numerus="yes">
        <source>%n position(s) to fill</source>
        <translation>
            <numerusform>%n منصب شاغر</numerusform>
            <numerusform>منصب شاغر واحد</numerusform>
            <numerusform>منصبان شاغران</numerusform>
            <numerusform>%n مناصب شاغرة</numerusform>
            <numerusform>%n منصبًا شاغرًا</numerusform>
            <numerusform>%n منصب شاغر</numerusform>
        </translation>
    </message>
    <message>
        <source>Not stated</source>
        <translation>غير محدّد</translation>
    </message>
    <message>
        <source>Beginners welcome</source>
        <translation>المبتدئون مرحّب بهم</translation>
    </message>
    <message>
        <source>This employer welcomes disabled workers.</source>
        <translation>يرحّب صاحب العمل هذا بالعمال ذوي الإعاقة.</translation>
    </message>
    <message>
        <source>Open to disabled workers</source>
        <translation>مفتوح لذوي الإعاقة</translation>
    </message>
    <message>
        <source>Demo offer: no page online</source>
        <translation>عرض تجريبي: لا توجد صفحة على الإنترنت</translation>
    </message>
    <message>
        <source>Apply on: %1</source>
        <translation>التقديم عبر: %1</translation>
    </message>
</context>
<context>
    <name>DetailScreen</name>
    <message>
        <source>Scan to open this offer on your phone</source>
        <translation>امسح الرمز لفتح هذا العرض على هاتفك</translation>
    </message>
    <message>
        <source>How to apply</source>
        <translation>كيفية التقديم</translation>
    </message>
    <message>
        <source>Apply here</source>
        <translation>قدّم هنا</translation>
    </message>
    <message>
        <source>Be called back</source>
        <translation>طلب اتصال</translation>
    </message>
    <message>
        <source>Continue on my phone</source>
        <translation>المتابعة على هاتفي</translation>
    </message>
    <message>
        <source>Open the offer on your phone to see how to apply.</source>
        <translation>افتح العرض على هاتفك لمعرفة كيفية التقديم.</translation>
    </message>
    <message>
        <source>This offer is no longer available.</source>
        <translation>هذا العرض لم يعد متاحًا.</translation>
    </message>
    <message>
        <source>Job offer</source>
        <translation>عرض عمل</translation>
    </message>
    <message>
        <source>Back to the offers</source>
        <translation>العودة إلى العروض</translation>
    </message>
    <message>
        <source>Scan this code with your phone&apos;s camera to apply.</source>
        <translation>امسح هذا الرمز بكاميرا هاتفك للتقديم.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filters</source>
        <translation>عوامل التصفية</translation>
    </message>
    <message numerus="yes">
        <source>Filters, %n in use</source>
        <translation>
            <numerusform>عوامل التصفية، لا شيء مفعّل</numerusform>
            <numerusform>عوامل التصفية، عامل واحد مفعّل</numerusform>
            <numerusform>عوامل التصفية، عاملان مفعّلان</numerusform>
            <numerusform>عوامل التصفية، %n عوامل مفعّلة</numerusform>
            <numerusform>عوامل التصفية، %n عاملًا مفعّلًا</numerusform>
            <numerusform>عوامل التصفية، %n عامل مفعّل</numerusform>
        </translation>
    </message>
    <message>
        <source>Contract, hours, distance and more, with the number of offers of each</source>
        <translation>العقد، وقت العمل، المسافة وغيرها، مع عدد العروض لكلٍّ منها</translation>
    </message>
    <message>
        <source>Remove the filter %1</source>
        <translation>إزالة عامل التصفية %1</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Filters</source>
        <translation>عوامل التصفية</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Close the filters</source>
        <translation>إغلاق عوامل التصفية</translation>
    </message>
    <message>
        <source>Remove the filters</source>
        <translation>إزالة عوامل التصفية</translation>
    </message>
    <message>
        <source>Show %1</source>
        <comment>the number of offers, as in: Show 1,234 offers</comment>
        <translation>عرض %1</translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message>
        <source>Contract</source>
        <translation>العقد</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>وقت العمل</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>التكوين</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>المسافة</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>تاريخ النشر</translation>
    </message>
    <message>
        <source>Accessibility</source>
        <translation>إمكانية الوصول</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>المهنة</translation>
    </message>
    <message>
        <source>Apprenticeship</source>
        <translation>تكوين بالتناوب</translation>
    </message>
    <message>
        <source>Within %1</source>
        <translation>أقل من %1</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>آخر %n يوم</numerusform>
            <numerusform>آخر يوم</numerusform>
            <numerusform>آخر يومين</numerusform>
            <numerusform>آخر %n أيام</numerusform>
            <numerusform>آخر %n يومًا</numerusform>
            <numerusform>آخر %n يوم</numerusform>
        </translation>
    </message>
    <message>
        <source>Open to disabled workers</source>
        <translation>مفتوح لذوي الإعاقة</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a filter chip: its group, its label</comment>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Firms</name>
    <message>
        <source>These firms have not published a job offer: they are firms that often hire people for this trade. You can send them a spontaneous application.</source>
        <translation>هذه الشركات ليست عروض عمل: لم تنشر عرضًا، لكنها كثيرًا ما توظف في هذه المهنة. يمكنك أن ترسل إليها طلب توظيف تلقائيًا.</translation>
    </message>
    <message>
        <source>These firms have not published a job offer: they are firms that often hire people for this trade. You can go and offer your services.</source>
        <translation>هذه الشركات ليست عروض عمل: لم تنشر عرضًا، لكنها كثيرًا ما توظف في هذه المهنة. يمكنك الذهاب إليها لتعرض خدماتك.</translation>
    </message>
    <message>
        <source>Your application goes to the job agency that runs this terminal, not to the firm directly. The agency calls you back and, if your profile fits, passes it on to the firm.</source>
        <translation>يذهب طلبك إلى وكالة التشغيل التي تدير هذه المحطة، وليس إلى الشركة مباشرة. تتصل بك الوكالة، وإذا كان ملفك مناسبًا تنقله إلى الشركة.</translation>
    </message>
    <message>
        <source>This terminal cannot send spontaneous applications: ask at the job agency.</source>
        <translation>لا تستطيع هذه المحطة إرسال طلبات توظيف تلقائية: اسأل في وكالة التشغيل.</translation>
    </message>
    <message>
        <source>%1 to %2 employees</source>
        <translation>من %1 إلى %2 موظفًا</translation>
    </message>
    <message>
        <source>%1 employees or more</source>
        <translation>%1 موظفًا أو أكثر</translation>
    </message>
    <message>
        <source>up to %1 employees</source>
        <translation>حتى %1 موظفًا</translation>
    </message>
    <message>
        <source>For the trade: %1</source>
        <translation>للمهنة: %1</translation>
    </message>
    <message>
        <source>For the trades: %1</source>
        <translation>للمهن: %1</translation>
    </message>
    <message>
        <source>For your search: %1</source>
        <translation>لبحثك: %1</translation>
    </message>
    <message>
        <source>Hires often</source>
        <translation>توظف كثيرًا</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>المصدر: %1</translation>
    </message>
    <message>
        <source>Your name and your phone number or e-mail go to the job agency that runs this terminal, not to the firm: an adviser calls you back about this firm and this trade and, if your profile fits, passes your application on to the firm. Nothing is kept on this terminal once it is sent. The agency keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>يذهب اسمك ورقم هاتفك أو بريدك الإلكتروني إلى وكالة التشغيل التي تدير هذه المحطة، وليس إلى الشركة: يتصل بك مستشار بشأن هذه الشركة وهذه المهنة، وإذا كان ملفك مناسبًا ينقل طلبك إلى الشركة. لا يُحفظ شيء على هذه المحطة بعد الإرسال. تحتفظ الوكالة بها %1 يومًا على الأكثر. للاطلاع عليها أو طلب حذفها، اتصل بالوكالة مع رمزك المرجعي.</translation>
    </message>
    <message>
        <source>It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the agency as soon as the network allows. You have nothing more to do.</source>
        <translation>إنه محفوظ بأمان على هذه المحطة، مقفل بحيث لا تقرؤه إلا الوكالة، ويُرسل إلى الوكالة بمجرد أن تسمح الشبكة بذلك. لا شيء آخر عليك فعله.</translation>
    </message>
    <message>
        <source>It has reached the job agency. An adviser of the agency will call you back, not the firm itself.</source>
        <translation>وصل إلى وكالة التشغيل. سيتصل بك مستشار من الوكالة، وليس الشركة نفسها.</translation>
    </message>
</context>
<context>
    <name>FirmsButton</name>
    <message>
        <source>Firms near here that often hire</source>
        <translation>شركات قريبة من هنا توظف كثيرًا</translation>
    </message>
    <message numerus="yes">
        <source>%n firm(s) that may hire you without a published offer.</source>
        <translation>
            <numerusform>لا شركة قد توظفك دون عرض منشور.</numerusform>
            <numerusform>شركة واحدة قد توظفك دون عرض منشور.</numerusform>
            <numerusform>شركتان قد توظفانك دون عرض منشور.</numerusform>
            <numerusform>%n شركات قد توظفك دون عرض منشور.</numerusform>
            <numerusform>%n شركة قد توظفك دون عرض منشور.</numerusform>
            <numerusform>%n شركة قد توظفك دون عرض منشور.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirmsScreen</name>
    <message>
        <source>Firms near here that often hire</source>
        <translation>شركات قريبة من هنا توظف كثيرًا</translation>
    </message>
    <message>
        <source>This terminal is offline: the list is the one from its last connection.</source>
        <translation>هذه المحطة غير متصلة: القائمة هي قائمة آخر اتصال لها.</translation>
    </message>
    <message>
        <source>No firm near here for this trade right now.</source>
        <translation>لا توجد شركة قريبة من هنا لهذه المهنة حاليًا.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Send a spontaneous application</source>
        <translation>إرسال طلب توظيف تلقائي</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <source>button</source>
        <translation>زر</translation>
    </message>
    <message>
        <source>text field</source>
        <translation>حقل نص</translation>
    </message>
    <message>
        <source>heading</source>
        <translation>عنوان</translation>
    </message>
    <message>
        <source>image</source>
        <translation>صورة</translation>
    </message>
    <message>
        <source>link</source>
        <translation>رابط</translation>
    </message>
    <message>
        <source>space</source>
        <translation>مسافة</translation>
    </message>
    <message>
        <source>erase</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>hyphen</source>
        <translation>شرطة</translation>
    </message>
    <message>
        <source>apostrophe</source>
        <translation>فاصلة عليا</translation>
    </message>
    <message>
        <source>at sign</source>
        <translation>علامة at</translation>
    </message>
    <message>
        <source>dot</source>
        <translation>نقطة</translation>
    </message>
    <message>
        <source>Audio guidance on. Down arrow or Tab: next. Up arrow: previous. Enter: choose. F1: help.</source>
        <translation>تم تشغيل الإرشاد الصوتي. السهم للأسفل أو Tab: التالي. السهم للأعلى: السابق. Enter: اختيار. F1: مساعدة.</translation>
    </message>
    <message>
        <source>Audio guidance off.</source>
        <translation>تم إيقاف الإرشاد الصوتي.</translation>
    </message>
    <message>
        <source>Editing %1. Type on the keyboard, or turn the letter wheel with left and right and choose with Enter. Down arrow when done.</source>
        <translation>تعديل %1. اكتب على لوحة المفاتيح، أو أدر عجلة الحروف بالسهمين الأيمن والأيسر واختر بـ Enter. السهم للأسفل عند الانتهاء.</translation>
    </message>
    <message>
        <source>Volume %1 of 10</source>
        <translation>مستوى الصوت %1 من 10</translation>
    </message>
    <message>
        <source>Fastest</source>
        <translation>أقصى سرعة</translation>
    </message>
    <message>
        <source>Slowest</source>
        <translation>أدنى سرعة</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>أسرع</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>أبطأ</translation>
    </message>
    <message>
        <source>What you type will be read aloud. People nearby may hear it.</source>
        <translation>ستتم قراءة ما تكتبه بصوت عالٍ. قد يسمعه من حولك.</translation>
    </message>
    <message>
        <source>What you type will no longer be read aloud on the loudspeaker.</source>
        <translation>لن تتم قراءة ما تكتبه على مكبر الصوت بعد الآن.</translation>
    </message>
    <message>
        <source>Down arrow or Tab: next item. Up arrow or Shift Tab: previous item. Enter: choose. F4 or Backspace: back. F3: repeat. F9 and F10: volume. F7 and F8: speed. F2: audio guidance off.</source>
        <translation>السهم للأسفل أو Tab: العنصر التالي. السهم للأعلى أو Shift Tab: العنصر السابق. Enter: اختيار. F4 أو Backspace: رجوع. F3: إعادة. F9 و F10: مستوى الصوت. F7 و F8: السرعة. F2: إيقاف الإرشاد الصوتي.</translation>
    </message>
    <message>
        <source>In a text field, type on the keyboard, or turn the letter wheel with left and right arrows and choose with Enter. F6: read what you type aloud.</source>
        <translation>في حقل النص، اكتب على لوحة المفاتيح، أو أدر عجلة الحروف بالسهمين الأيمن والأيسر واختر بـ Enter. F6: قراءة ما تكتبه بصوت عالٍ.</translation>
    </message>
    <message>
        <source>Plug a headset into the jack to hear what you type privately.</source>
        <translation>صِل سماعة رأس بالمقبس لتسمع ما تكتبه على انفراد.</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>محدد</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>غير محدد</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>فارغ</translation>
    </message>
    <message>
        <source>filled in; plug in a headset to hear it</source>
        <translation>مملوء؛ صِل سماعة رأس لسماعه</translation>
    </message>
    <message>
        <source>not read aloud on the loudspeaker</source>
        <translation>لا يُقرأ على مكبر الصوت</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n عنصر</numerusform>
            <numerusform>عنصر واحد</numerusform>
            <numerusform>عنصران</numerusform>
            <numerusform>%n عناصر</numerusform>
            <numerusform>%n عنصرًا</numerusform>
            <numerusform>%n عنصر</numerusform>
        </translation>
    </message>
    <message>
        <source>erased %1</source>
        <translation>تم حذف %1</translation>
    </message>
    <message>
        <source>erased</source>
        <translation>تم الحذف</translation>
    </message>
    <message>
        <source>For audio guidance, press F2, or hold your finger on the screen.</source>
        <translation>للإرشاد الصوتي، اضغط F2 أو أبقِ إصبعك على الشاشة.</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <source>Are you still there?</source>
        <translation>هل ما زلت هنا؟</translation>
    </message>
    <message>
        <source>Everything will be cleared in %1. Press Enter or touch the screen to continue.</source>
        <translation>سيُمسح كل شيء خلال %1. اضغط على زر الإدخال أو المس الشاشة للمتابعة.</translation>
    </message>
    <message>
        <source>To protect your privacy, everything will be cleared in</source>
        <translation>لحماية خصوصيتك، سيُمسح كل شيء خلال</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n ثانية</numerusform>
            <numerusform>ثانية واحدة</numerusform>
            <numerusform>ثانيتين</numerusform>
            <numerusform>%n ثوانٍ</numerusform>
            <numerusform>%n ثانية</numerusform>
            <numerusform>%n ثانية</numerusform>
        </translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>ما زلت هنا</translation>
    </message>
    <message>
        <source>Touch anywhere on the screen to continue.</source>
        <translation>المس أي مكان على الشاشة للمتابعة.</translation>
    </message>
</context>
<context>
    <name>KDialog</name>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Job Kiosk</source>
        <translation>كشك التوظيف</translation>
    </message>
    <message>
        <source>Job offers near here</source>
        <translation>عروض عمل بالقرب من هنا</translation>
    </message>
    <message>
        <source>Clear and leave?</source>
        <translation>مسح كل شيء والخروج؟</translation>
    </message>
    <message>
        <source>What you typed will be cleared, and the next person will find an empty screen.</source>
        <translation>سيُمسح ما كتبته، وسيجد الشخص التالي شاشة فارغة.</translation>
    </message>
    <message>
        <source>No, go on</source>
        <translation>لا، متابعة</translation>
    </message>
    <message>
        <source>Clear and leave</source>
        <translation>مسح والخروج</translation>
    </message>
</context>
<context>
    <name>OfferCard</name>
    <message>
        <source>Open to disabled workers</source>
        <translation>مفتوح لذوي الإعاقة</translation>
    </message>
</context>
<context>
    <name>OfferText</name>
    <message>
        <source>Permanent</source>
        <translation>عقد دائم</translation>
    </message>
    <message>
        <source>Fixed-term</source>
        <translation>عقد محدّد المدة</translation>
    </message>
    <message>
        <source>Temporary (agency)</source>
        <translation>عمل مؤقت</translation>
    </message>
    <message>
        <source>Seasonal</source>
        <translation>عمل موسمي</translation>
    </message>
    <message>
        <source>Commercial agent</source>
        <translation>وكيل تجاري</translation>
    </message>
    <message>
        <source>Franchise</source>
        <translation>امتياز تجاري</translation>
    </message>
    <message>
        <source>Self-employed</source>
        <translation>مهنة حرة</translation>
    </message>
    <message>
        <source>Business takeover</source>
        <translation>استئناف مؤسسة</translation>
    </message>
    <message>
        <source>Temporary (integration)</source>
        <translation>عمل مؤقت للإدماج</translation>
    </message>
    <message>
        <source>Fixed-term (integration)</source>
        <translation>عقد محدّد المدة للإدماج</translation>
    </message>
    <message>
        <source>Permanent agency worker</source>
        <translation>عقد دائم مع وكالة توظيف</translation>
    </message>
    <message>
        <source>Other contract</source>
        <translation>عقد آخر</translation>
    </message>
    <message>
        <source>Apprenticeship</source>
        <translation>تكوين بالتناوب</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n يوم</numerusform>
            <numerusform>يوم واحد</numerusform>
            <numerusform>يومان</numerusform>
            <numerusform>%n أيام</numerusform>
            <numerusform>%n يومًا</numerusform>
            <numerusform>%n يوم</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n أسبوع</numerusform>
            <numerusform>أسبوع واحد</numerusform>
            <numerusform>أسبوعان</numerusform>
            <numerusform>%n أسابيع</numerusform>
            <numerusform>%n أسبوعًا</numerusform>
            <numerusform>%n أسبوع</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n شهر</numerusform>
            <numerusform>شهر واحد</numerusform>
            <numerusform>شهران</numerusform>
            <numerusform>%n أشهر</numerusform>
            <numerusform>%n شهرًا</numerusform>
            <numerusform>%n شهر</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n سنة</numerusform>
            <numerusform>سنة واحدة</numerusform>
            <numerusform>سنتان</numerusform>
            <numerusform>%n سنوات</numerusform>
            <numerusform>%n سنة</numerusform>
            <numerusform>%n سنة</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 m</source>
        <translation>%1 م</translation>
    </message>
    <message>
        <source>%1 km</source>
        <translation>%1 كم</translation>
    </message>
    <message>
        <source>Posted today</source>
        <translation>نُشر اليوم</translation>
    </message>
    <message>
        <source>Posted yesterday</source>
        <translation>نُشر أمس</translation>
    </message>
    <message numerus="yes">
        <source>Posted %n day(s) ago</source>
        <translation>
            <numerusform>نُشر منذ %n يوم</numerusform>
            <numerusform>نُشر منذ يوم واحد</numerusform>
            <numerusform>نُشر منذ يومين</numerusform>
            <numerusform>نُشر منذ %n أيام</numerusform>
            <numerusform>نُشر منذ %n يومًا</numerusform>
            <numerusform>نُشر منذ %n يوم</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n week(s) ago</source>
        <translation>
            <numerusform>نُشر منذ %n أسبوع</numerusform>
            <numerusform>نُشر منذ أسبوع</numerusform>
            <numerusform>نُشر منذ أسبوعين</numerusform>
            <numerusform>نُشر منذ %n أسابيع</numerusform>
            <numerusform>نُشر منذ %n أسبوعًا</numerusform>
            <numerusform>نُشر منذ %n أسبوع</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n month(s) ago</source>
        <translation>
            <numerusform>نُشر منذ %n شهر</numerusform>
            <numerusform>نُشر منذ شهر</numerusform>
            <numerusform>نُشر منذ شهرين</numerusform>
            <numerusform>نُشر منذ %n أشهر</numerusform>
            <numerusform>نُشر منذ %n شهرًا</numerusform>
            <numerusform>نُشر منذ %n شهر</numerusform>
        </translation>
    </message>
    <message>
        <source>Posted on %1</source>
        <translation>نُشر في %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>contract name, duration</comment>
        <translation>%1 لمدة %2</translation>
    </message>
    <message>
        <source>%1, apprenticeship</source>
        <translation>%1، تكوين بالتناوب</translation>
    </message>
    <message>
        <source>Full time</source>
        <translation>دوام كامل</translation>
    </message>
    <message>
        <source>Part time</source>
        <translation>دوام جزئي</translation>
    </message>
    <message>
        <source>Company not disclosed</source>
        <translation>الشركة غير مذكورة</translation>
    </message>
    <message numerus="yes">
        <source>%Ln offer(s)</source>
        <translation>
            <numerusform>%Ln عرض</numerusform>
            <numerusform>عرض واحد</numerusform>
            <numerusform>عرضان</numerusform>
            <numerusform>%Ln عروض</numerusform>
            <numerusform>%Ln عرضًا</numerusform>
            <numerusform>%Ln عرض</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OperatorPanel</name>
    <message>
        <source>Operator</source>
        <translation>المشغِّل</translation>
    </message>
    <message>
        <source>Status of the terminal</source>
        <translation>حالة الجهاز</translation>
    </message>
    <message>
        <source>Enter the operator PIN</source>
        <translation>أدخل الرمز السري للمشغِّل</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>جارٍ التحقق…</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>الرمز السري</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a status row: its label, its value</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>مزامنة الآن</translation>
    </message>
    <message>
        <source>Exit the kiosk</source>
        <translation>الخروج من الشاشة</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
</context>
<context>
    <name>QrCode</name>
    <message>
        <source>QR code</source>
        <translation>رمز QR</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>Choose a trade</source>
        <translation>اختيار مهنة</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>التكوين</translation>
    </message>
    <message>
        <source>Prepare my application</source>
        <translation>تحضير طلب التوظيف</translation>
    </message>
    <message>
        <source>Get help with digital</source>
        <translation>الحصول على مساعدة رقمية</translation>
    </message>
    <message>
        <source>The agency near here</source>
        <translation>الوكالة القريبة من هنا</translation>
    </message>
    <message>
        <source>Site in %1</source>
        <translation>لغة الموقع: %1</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <source>Services</source>
        <translation>خدمات</translation>
    </message>
    <message numerus="yes">
        <source>%n free service(s) to help you find work.</source>
        <translation>
            <numerusform>%n خدمة مجانية لمساعدتك في إيجاد عمل.</numerusform>
            <numerusform>خدمة مجانية واحدة لمساعدتك في إيجاد عمل.</numerusform>
            <numerusform>خدمتان مجانيتان لمساعدتك في إيجاد عمل.</numerusform>
            <numerusform>%n خدمات مجانية لمساعدتك في إيجاد عمل.</numerusform>
            <numerusform>%n خدمةً مجانيةً لمساعدتك في إيجاد عمل.</numerusform>
            <numerusform>%n خدمة مجانية لمساعدتك في إيجاد عمل.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose one, then scan its code with your phone to take it away.</source>
        <translation>اختر خدمة، ثم امسح رمزها بهاتفك لتأخذها معك.</translation>
    </message>
    <message>
        <source>Services to help you find work</source>
        <translation>خدمات لمساعدتك في إيجاد عمل</translation>
    </message>
    <message>
        <source>Scan this code with your phone&apos;s camera to open %1</source>
        <translation>امسح هذا الرمز بكاميرا هاتفك لفتح %1</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>These offers may be out of date.</source>
        <translation>قد لا تكون هذه العروض محدَّثة.</translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n minute(s) ago.</source>
        <translation>
            <numerusform>حُدِّثت العروض منذ %n دقيقة.</numerusform>
            <numerusform>حُدِّثت العروض منذ دقيقة واحدة.</numerusform>
            <numerusform>حُدِّثت العروض منذ دقيقتين.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n دقائق.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n دقيقة.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n دقيقة.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n hour(s) ago.</source>
        <translation>
            <numerusform>حُدِّثت العروض منذ %n ساعة.</numerusform>
            <numerusform>حُدِّثت العروض منذ ساعة واحدة.</numerusform>
            <numerusform>حُدِّثت العروض منذ ساعتين.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n ساعات.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n ساعة.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n ساعة.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n day(s) ago.</source>
        <translation>
            <numerusform>حُدِّثت العروض منذ %n يوم.</numerusform>
            <numerusform>حُدِّثت العروض منذ يوم واحد.</numerusform>
            <numerusform>حُدِّثت العروض منذ يومين.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n أيام.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n يومًا.</numerusform>
            <numerusform>حُدِّثت العروض منذ %n يوم.</numerusform>
        </translation>
    </message>
    <message>
        <source>No network.</source>
        <translation>لا توجد شبكة.</translation>
    </message>
    <message>
        <source>You can still apply: your application leaves as soon as the network is back.</source>
        <translation>لا يزال بإمكانك التقدّم: سيُرسَل طلبك فور عودة الشبكة.</translation>
    </message>
</context>
<context>
    <name>TradeTiles</name>
    <message>
        <source>Offers by trade</source>
        <translation>العروض حسب المهنة</translation>
    </message>
</context>
<context>
    <name>Trades</name>
    <message>
        <source>Farming and green spaces</source>
        <translation>الزراعة والمساحات الخضراء</translation>
    </message>
    <message>
        <source>Arts and crafts</source>
        <translation>الفنون والحرف</translation>
    </message>
    <message>
        <source>Banking, insurance, property</source>
        <translation>البنوك والتأمين والعقارات</translation>
    </message>
    <message>
        <source>Shops and sales</source>
        <translation>التجارة والبيع</translation>
    </message>
    <message>
        <source>Communication and media</source>
        <translation>الاتصال والإعلام</translation>
    </message>
    <message>
        <source>Building and public works</source>
        <translation>البناء والأشغال العامة</translation>
    </message>
    <message>
        <source>Hotels, restaurants, leisure</source>
        <translation>الفنادق والمطاعم والترفيه</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>الصناعة</translation>
    </message>
    <message>
        <source>Installation and maintenance</source>
        <translation>التركيب والصيانة</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>الصحة</translation>
    </message>
    <message>
        <source>Care and community services</source>
        <translation>الخدمات الشخصية والاجتماعية</translation>
    </message>
    <message>
        <source>Live shows</source>
        <translation>العروض الفنية</translation>
    </message>
    <message>
        <source>Office and IT</source>
        <translation>المكتب والمعلوماتية</translation>
    </message>
    <message>
        <source>Transport and logistics</source>
        <translation>النقل والخدمات اللوجستية</translation>
    </message>
    <message>
        <source>Other trades</source>
        <translation>مهن أخرى</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a trade tile: name, offers</comment>
        <translation>%1، %2</translation>
    </message>
</context>
<context>
    <name>VerdictLayer</name>
    <message>
        <source>Did this terminal help you?</source>
        <translation>هل ساعدك هذا الجهاز؟</translation>
    </message>
    <message>
        <source>Choose one of the three answers, or skip. Your answer is anonymous.</source>
        <translation>اختر إحدى الإجابات الثلاث، أو تخطَّ السؤال. إجابتك مجهولة الهوية.</translation>
    </message>
    <message>
        <source>Yes, it helped</source>
        <translation>نعم، ساعدني</translation>
    </message>
    <message>
        <source>So-so</source>
        <translation>إلى حدٍّ ما</translation>
    </message>
    <message>
        <source>No, it did not</source>
        <translation>لا، لم يساعدني</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>تخطي</translation>
    </message>
    <message>
        <source>Skip the question</source>
        <translation>تخطّي السؤال</translation>
    </message>
    <message>
        <source>Anonymous: only the number of answers is kept.</source>
        <translation>مجهول الهوية: لا يُحفظ إلا عدد الإجابات.</translation>
    </message>
</context>
<context>
    <name>style</name>
    <message>
        <source>Comma</source>
        <translation>فاصلة</translation>
    </message>
    <message>
        <source>Full stop</source>
        <translation>نقطة</translation>
    </message>
    <message>
        <source>Apostrophe</source>
        <translation>فاصلة عليا</translation>
    </message>
    <message>
        <source>At sign</source>
        <translation>علامة آت</translation>
    </message>
    <message>
        <source>Hyphen</source>
        <translation>شرطة</translation>
    </message>
    <message>
        <source>Underscore</source>
        <translation>شرطة سفلية</translation>
    </message>
    <message>
        <source>Plus</source>
        <translation>زائد</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>نجمة</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>علامة المربع</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Change the keyboard&apos;s language</source>
        <translation>تغيير لغة لوحة المفاتيح</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>انتقال</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>إدخال</translation>
    </message>
    <message>
        <source>Hide the keyboard</source>
        <translation>إخفاء لوحة المفاتيح</translation>
    </message>
    <message>
        <source>Caps lock</source>
        <translation>تثبيت الأحرف الكبيرة</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>حرف كبير</translation>
    </message>
    <message>
        <source>space</source>
        <translation>مسافة</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>مسافة</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>الحروف</translation>
    </message>
    <message>
        <source>Digits and symbols</source>
        <translation>الأرقام والرموز</translation>
    </message>
    <message>
        <source>Handwriting</source>
        <translation>الكتابة اليدوية</translation>
    </message>
</context>
</TS>
