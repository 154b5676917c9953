// Every Arabic text, fetched once the visitor interacts (keys as in texts.js). The dialog is
// right to left; scores keep Western digits, 0 → 10 in reading order (0 on the right).

export default {
  label_: 'رأيك',
  questions_: {
    csat: 'ما مدى رضاك؟',
    ces: 'ما مدى سهولة الأمر؟',
    nps: 'ما مدى احتمال أن توصي بنا؟',
    thumbs: 'هل كانت هذه الصفحة مفيدة؟',
  },
  scale_: {
    csat: {
      1: 'غير راضٍ إطلاقًا',
      2: 'غير راضٍ',
      3: 'محايد',
      4: 'راضٍ',
      5: 'راضٍ جدًا',
    },
    ces: { 1: 'صعب جدًا', 7: 'سهل جدًا' },
    nps: { 0: 'غير محتمل إطلاقًا', 10: 'محتمل جدًا' },
    thumbs: { 0: 'لا', 1: 'نعم' },
  },
  intro_: 'اختر تقييمًا. التعليق اختياري.',
  comment_: 'تعليق (اختياري)',
  send_: 'إرسال',
  close_: 'إغلاق',
  loading_: 'جارٍ التحميل…',
  sending_: 'جارٍ الإرسال…',
  pick_: 'يُرجى اختيار تقييم أولًا.',
  sent: 'شكرًا لك! تم إرسال رأيك.',
  queued: 'حُفظ رأيك على هذا الجهاز وسيُرسل لاحقًا.',
  refused: 'عذرًا، لا يُسمح لهذه الصفحة بإرسال الآراء، لذلك لم يُرسل رأيك.',
  failed: 'عذرًا، تعذّر إرسال رأيك.',
  closed_: 'استقبال الآراء متوقف لهذا الموقع.',
  why_: 'ما الذي لم يكن على ما يرام؟ أخبرنا المزيد (اختياري)',
  themes_: {
    speed: 'بطء شديد',
    findability: 'صعوبة في العثور على ما أريد',
    unresolved: 'لم تُحل مشكلتي',
    returns: 'الإرجاع معقّد',
    waiting: 'انتظار طويل',
    human_contact: 'لا يمكن التحدث إلى شخص',
  },
};
