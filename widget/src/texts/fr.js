// Every French text, fetched once the visitor interacts (keys as in texts.js).

export default {
  label_: 'Votre avis',
  questions_: {
    csat: 'Êtes-vous satisfait ?',
    ces: 'Était-ce facile ?',
    nps: 'Quelle est la probabilité que vous nous recommandiez ?',
    thumbs: 'Cette page vous a-t-elle été utile ?',
  },
  scale_: {
    csat: {
      1: 'très insatisfait',
      2: 'insatisfait',
      3: 'neutre',
      4: 'satisfait',
      5: 'très satisfait',
    },
    ces: { 1: 'très difficile', 7: 'très facile' },
    nps: { 0: 'pas du tout probable', 10: 'très probable' },
    thumbs: { 0: 'non', 1: 'oui' },
  },
  intro_: 'Choisissez une note. Le commentaire est facultatif.',
  comment_: 'Commentaire (facultatif)',
  send_: 'Envoyer',
  close_: 'Fermer',
  loading_: 'Chargement…',
  sending_: 'Envoi en cours…',
  pick_: 'Veuillez d’abord choisir une note.',
  sent: 'Merci ! Votre avis a bien été envoyé.',
  queued: 'Votre avis est enregistré sur cet appareil et sera envoyé plus tard.',
  refused: 'Désolé, cette page ne peut pas envoyer d’avis : le vôtre n’a pas été envoyé.',
  failed: 'Désolé, votre avis n’a pas pu être envoyé.',
  closed_: 'Les avis sont fermés pour ce site.',
  why_: 'Qu’est-ce qui n’a pas fonctionné ? Dites-nous en plus (facultatif)',
  themes_: {
    speed: 'Trop lent',
    findability: 'Difficile de trouver',
    unresolved: 'Ma question n’a pas été résolue',
    returns: 'Retour compliqué',
    waiting: 'Trop d’attente',
    human_contact: 'Impossible de parler à quelqu’un',
  },
};
