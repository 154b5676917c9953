// Every Spanish text, fetched once the visitor interacts (keys as in texts.js).

export default {
  label_: 'Opinión',
  questions_: {
    csat: '¿Qué tan satisfecho estás?',
    ces: '¿Qué tan fácil fue?',
    nps: '¿Qué probabilidad hay de que nos recomiendes?',
    thumbs: '¿Te resultó útil esta página?',
  },
  scale_: {
    csat: {
      1: 'muy insatisfecho',
      2: 'insatisfecho',
      3: 'neutral',
      4: 'satisfecho',
      5: 'muy satisfecho',
    },
    ces: { 1: 'muy difícil', 7: 'muy fácil' },
    nps: { 0: 'nada probable', 10: 'muy probable' },
    thumbs: { 0: 'no', 1: 'sí' },
  },
  intro_: 'Elige una puntuación. El comentario es opcional.',
  comment_: 'Comentario (opcional)',
  send_: 'Enviar',
  close_: 'Cerrar',
  loading_: 'Cargando…',
  sending_: 'Enviando…',
  pick_: 'Primero elige una puntuación.',
  sent: '¡Gracias! Hemos recibido tu opinión.',
  queued: 'Tu opinión se ha guardado en este dispositivo y se enviará más tarde.',
  refused: 'Lo sentimos, esta página no puede enviar opiniones, así que la tuya no se envió.',
  failed: 'Lo sentimos, no se pudo enviar tu opinión.',
  closed_: 'Este sitio ya no recibe opiniones.',
  why_: '¿Qué salió mal? Cuéntanos más (opcional)',
  themes_: {
    speed: 'Demasiado lento',
    findability: 'Difícil de encontrar',
    unresolved: 'No resolvieron mi consulta',
    returns: 'Devolver fue complicado',
    waiting: 'Mucha espera',
    human_contact: 'No pude hablar con una persona',
  },
};
