<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AccessBar</name>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Accueil</translation>
    </message>
    <message>
        <source>Home: all offers, no search</source>
        <translation>Accueil : toutes les offres, sans recherche</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Texte agrandi</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>Plus de temps</translation>
    </message>
    <message>
        <source>Within reach</source>
        <translation>À portée de main</translation>
    </message>
    <message>
        <source>Everything within reach at the bottom of the screen</source>
        <translation>Tout à portée de main, en bas de l’écran</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Finish: clear everything and leave</source>
        <translation>Terminer : tout effacer et partir</translation>
    </message>
</context>
<context>
    <name>Apply</name>
    <message>
        <source>Please fill this in.</source>
        <translation>Veuillez remplir ce champ.</translation>
    </message>
    <message>
        <source>This is too long.</source>
        <translation>C’est trop long.</translation>
    </message>
    <message>
        <source>Use letters only (spaces, hyphens and apostrophes are fine).</source>
        <translation>Utilisez uniquement des lettres (espaces, tirets et apostrophes acceptés).</translation>
    </message>
    <message>
        <source>Write your name with letters.</source>
        <translation>Écrivez votre nom avec des lettres.</translation>
    </message>
    <message>
        <source>This contains an invisible or special character that cannot be sent. Please clear the field and type it again.</source>
        <translation>Ce champ contient un caractère invisible ou spécial qui ne peut pas être envoyé. Effacez le champ et tapez à nouveau.</translation>
    </message>
    <message>
        <source>This phone number does not look right: compare it with the example above.</source>
        <translation>Ce numéro de téléphone ne semble pas correct : comparez-le à l’exemple au-dessus.</translation>
    </message>
    <message>
        <source>Give a number without an extension, one that reaches you directly.</source>
        <translation>Indiquez un numéro sans poste, qui vous joint directement.</translation>
    </message>
    <message>
        <source>Use only digits, spaces, and a + at the start.</source>
        <translation>Utilisez uniquement des chiffres, des espaces et un + au début.</translation>
    </message>
    <message>
        <source>This e-mail address does not look right. Example: marie.dupont@exemple.fr</source>
        <translation>Cette adresse e-mail ne semble pas correcte. Exemple : marie.dupont@exemple.fr</translation>
    </message>
    <message>
        <source>Give a phone number or an e-mail address so that the recruiter can reach you.</source>
        <translation>Indiquez un numéro de téléphone ou une adresse e-mail pour que le recruteur puisse vous joindre.</translation>
    </message>
    <message>
        <source>Tick the box to agree to share these details with the recruiter.</source>
        <translation>Cochez la case pour accepter de transmettre ces informations au recruteur.</translation>
    </message>
    <message>
        <source>Choose one of the answers.</source>
        <translation>Choisissez une des réponses.</translation>
    </message>
    <message>
        <source>Give a phone number or an e-mail address so that the job agency can reach you.</source>
        <translation>Indiquez un numéro de téléphone ou une adresse e-mail pour que l’agence pour l’emploi puisse vous joindre.</translation>
    </message>
    <message>
        <source>Tick the box to agree to share these details with the job agency.</source>
        <translation>Cochez la case pour accepter de transmettre ces informations à l’agence pour l’emploi.</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Available now</source>
        <translation>Disponible tout de suite</translation>
    </message>
    <message>
        <source>Experience in this job</source>
        <translation>Expérience dans ce métier</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>Permis de conduire</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Less than 1 year</source>
        <translation>Moins d’un an</translation>
    </message>
    <message>
        <source>1 to 3 years</source>
        <translation>1 à 3 ans</translation>
    </message>
    <message>
        <source>More than 3 years</source>
        <translation>Plus de 3 ans</translation>
    </message>
    <message>
        <source>Sorry, this terminal cannot take applications right now. Please apply from your phone.</source>
        <translation>Désolé, cette borne ne peut pas recevoir de candidatures pour le moment. Postulez depuis votre téléphone.</translation>
    </message>
    <message>
        <source>Your name and your phone number or e-mail go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can contact you about this job. Nothing is kept on this terminal once it is sent. The recruiter&apos;s side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>Votre nom et votre numéro de téléphone ou votre e-mail sont transmis uniquement au recruteur de cette offre, par l’agence pour l’emploi qui gère cette borne, pour qu’il vous contacte au sujet de ce poste. Rien n’est conservé sur cette borne après l’envoi. Ils sont gardés %1 jours au plus. Pour les consulter ou les faire effacer, contactez l’agence avec votre code de référence.</translation>
    </message>
    <message>
        <source>Your name and your phone number go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can call you back about this job. Nothing is kept on this terminal once it is sent. The recruiter&apos;s side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>Votre nom et votre numéro de téléphone sont transmis uniquement au recruteur de cette offre, par l’agence pour l’emploi qui gère cette borne, pour qu’il vous rappelle au sujet de ce poste. Rien n’est conservé sur cette borne après l’envoi. Ils sont gardés %1 jours au plus. Pour les consulter ou les faire effacer, contactez l’agence avec votre code de référence.</translation>
    </message>
    <message>
        <source>Your application is saved</source>
        <translation>Votre candidature est enregistrée</translation>
    </message>
    <message>
        <source>Your application is sent</source>
        <translation>Votre candidature est envoyée</translation>
    </message>
    <message>
        <source>Your request is saved</source>
        <translation>Votre demande est enregistrée</translation>
    </message>
    <message>
        <source>Your request is sent</source>
        <translation>Votre demande est envoyée</translation>
    </message>
    <message>
        <source>It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the recruiter as soon as the network allows. You have nothing more to do.</source>
        <translation>Elle est gardée en sécurité sur cette borne, verrouillée pour que seule l’agence puisse la lire, et elle part vers le recruteur dès que le réseau le permet. Vous n’avez rien d’autre à faire.</translation>
    </message>
    <message>
        <source>It has reached the job agency, which passes it on to the recruiter.</source>
        <translation>Elle est bien arrivée à l’agence pour l’emploi, qui la transmet au recruteur.</translation>
    </message>
</context>
<context>
    <name>ApplyScreen</name>
    <message>
        <source>Check what the recruiter will receive</source>
        <translation>Vérifiez ce que le recruteur recevra</translation>
    </message>
    <message>
        <source>Be called back about this offer</source>
        <translation>Être rappelé pour cette offre</translation>
    </message>
    <message>
        <source>Apply to this offer</source>
        <translation>Postuler à cette offre</translation>
    </message>
    <message>
        <source>Your reference code: %1</source>
        <translation>Votre code de référence : %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>an error: the field, the error</comment>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>an answer chip: its question, its answer</comment>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>No CV needed: the recruiter calls you back.</source>
        <translation>Pas besoin de CV : le recruteur vous rappelle.</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>Example:</source>
        <translation>Exemple :</translation>
    </message>
    <message>
        <source>Check what the job agency will receive</source>
        <translation>Vérifiez ce que l’agence pour l’emploi recevra</translation>
    </message>
    <message>
        <source>Spontaneous application</source>
        <translation>Candidature spontanée</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a spontaneous application: the firm, the trade</comment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>No CV needed: the job agency calls you back.</source>
        <translation>Pas besoin de CV : l’agence pour l’emploi vous rappelle.</translation>
    </message>
    <message>
        <source>Or e-mail</source>
        <translation>Ou e-mail</translation>
    </message>
    <message>
        <source>Optional: a few quick answers for the job agency</source>
        <translation>Facultatif : quelques réponses rapides pour l’agence pour l’emploi</translation>
    </message>
    <message>
        <source>Optional: a few quick answers for the recruiter</source>
        <translation>Facultatif : quelques réponses rapides pour le recruteur</translation>
    </message>
    <message>
        <source>Available now</source>
        <translation>Disponible tout de suite</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>Experience in this job</source>
        <translation>Expérience dans ce métier</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Less than 1 year</source>
        <translation>Moins d’un an</translation>
    </message>
    <message>
        <source>1 to 3 years</source>
        <translation>1 à 3 ans</translation>
    </message>
    <message>
        <source>More than 3 years</source>
        <translation>Plus de 3 ans</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>Permis de conduire</translation>
    </message>
    <message>
        <source>I agree to share these details with the job agency, which may pass them on to this firm</source>
        <translation>J’accepte de transmettre ces informations à l’agence pour l’emploi, qui pourra les transmettre à cette entreprise</translation>
    </message>
    <message>
        <source>I agree to share these details with the recruiter of this offer</source>
        <translation>J’accepte de transmettre ces informations au recruteur de cette offre</translation>
    </message>
    <message>
        <source>Check what the job agency will receive:</source>
        <translation>Vérifiez ce que l’agence pour l’emploi recevra :</translation>
    </message>
    <message>
        <source>An adviser of the job agency calls you back: not the firm itself. Keep this code: it lets you ask the agency about your application or have your details deleted.</source>
        <translation>Un conseiller de l’agence pour l’emploi vous rappelle : pas l’entreprise elle-même. Gardez ce code : il vous permet de demander des nouvelles de votre candidature à l’agence ou de faire effacer vos informations.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Check what the recruiter will receive:</source>
        <translation>Vérifiez ce que le recruteur recevra :</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a review row: its label, its value</comment>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Your reference code:</source>
        <translation>Votre code de référence :</translation>
    </message>
    <message>
        <source>The recruiter receives your details and contacts you if your profile fits. Keep this code: it lets you ask the agency about your application or have your details deleted.</source>
        <translation>Le recruteur reçoit vos coordonnées et vous contacte si votre profil correspond. Gardez ce code : il vous permet de demander des nouvelles de votre candidature à l’agence ou de faire effacer vos informations.</translation>
    </message>
    <message>
        <source>Scan to keep this offer on your phone</source>
        <translation>Scannez pour garder cette offre sur votre téléphone</translation>
    </message>
    <message>
        <source>See similar offers</source>
        <translation>Voir des offres similaires</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminer</translation>
    </message>
</context>
<context>
    <name>Attract</name>
    <message numerus="yes">
        <source>%n min walk</source>
        <translation>
            <numerusform>%n min à pied</numerusform>
            <numerusform>%n min à pied</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 near %2</source>
        <comment>offers, place</comment>
        <translation>%1 près de %2</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Job offers near here</source>
        <translation>Offres d’emploi près d’ici</translation>
    </message>
    <message>
        <source>Touch the screen or press any key to start. For audio guidance, hold your finger on the screen or press F2.</source>
        <translation>Touchez l’écran ou appuyez sur une touche pour commencer. Pour le guidage audio, gardez le doigt sur l’écran ou appuyez sur F2.</translation>
    </message>
    <message>
        <source>The nearest offers</source>
        <translation>Les offres les plus proches</translation>
    </message>
    <message>
        <source>Touch the screen to start</source>
        <translation>Touchez l’écran pour commencer</translation>
    </message>
    <message>
        <source>Training, CV, help with digital</source>
        <translation>Formation, CV, aide au numérique</translation>
    </message>
    <message>
        <source>Services: training, CV, help with digital</source>
        <translation>Services : formation, CV, aide au numérique</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Texte agrandi</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>Plus de temps</translation>
    </message>
    <message>
        <source>Within reach</source>
        <translation>À portée de main</translation>
    </message>
</context>
<context>
    <name>Browse</name>
    <message>
        <source>Try removing a filter or searching for another word.</source>
        <translation>Essayez d’enlever un filtre ou de chercher un autre mot.</translation>
    </message>
    <message>
        <source>Try another word, or check the spelling.</source>
        <translation>Essayez un autre mot, ou vérifiez l’orthographe.</translation>
    </message>
</context>
<context>
    <name>BrowseScreen</name>
    <message>
        <source>Job offers near here</source>
        <translation>Offres d’emploi près d’ici</translation>
    </message>
    <message>
        <source>Job, company, town…</source>
        <translation>Métier, entreprise, ville…</translation>
    </message>
    <message>
        <source>Search offers</source>
        <translation>Rechercher des offres</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>Effacer la recherche</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <source>Remove every filter</source>
        <translation>Enlever tous les filtres</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>Services: training, CV, help with digital</source>
        <translation>Services : formation, CV, aide au numérique</translation>
    </message>
    <message>
        <source>No offer matches your search</source>
        <translation>Aucune offre ne correspond à votre recherche</translation>
    </message>
    <message>
        <source>Remove the filters</source>
        <translation>Enlever les filtres</translation>
    </message>
    <message>
        <source>The offers cannot be shown right now.</source>
        <translation>Les offres ne peuvent pas être affichées pour le moment.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
</context>
<context>
    <name>Detail</name>
    <message>
        <source>The job</source>
        <translation>Le poste</translation>
    </message>
    <message>
        <source>Responsibilities</source>
        <translation>Missions</translation>
    </message>
    <message>
        <source>Working hours</source>
        <translation>Horaires</translation>
    </message>
    <message>
        <source>Salary</source>
        <translation>Salaire</translation>
    </message>
    <message>
        <source>Benefits</source>
        <translation>Avantages</translation>
    </message>
    <message>
        <source>Experience</source>
        <translation>Expérience</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>Qualifications</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>Compétences</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Formation</translation>
    </message>
    <message>
        <source>Driving licences</source>
        <translation>Permis</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Langues</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Entreprise</translation>
    </message>
    <message>
        <source>Published by</source>
        <translation>Offre publiée par</translation>
    </message>
    <message>
        <source>required</source>
        <translation>exigé</translation>
    </message>
    <message>
        <source>desirable</source>
        <translation>souhaité</translation>
    </message>
    <message>
        <source>The recruiter gave no description.</source>
        <translation>Le recruteur n’a pas donné de description.</translation>
    </message>
    <message numerus="yes">
        <source>%n position(s) to fill</source>
        <translation>
            <numerusform>%n poste à pourvoir</numerusform>
            <numerusform>%n postes à pourvoir</numerusform>
        </translation>
    </message>
    <message>
        <source>Not stated</source>
        <translation>Non précisé</translation>
    </message>
    <message>
        <source>Beginners welcome</source>
        <translation>Débutants acceptés</translation>
    </message>
    <message>
        <source>This employer welcomes disabled workers.</source>
        <translation>Cet employeur accueille les travailleurs handicapés.</translation>
    </message>
    <message>
        <source>Open to disabled workers</source>
        <translation>Ouvert aux travailleurs handicapés</translation>
    </message>
    <message>
        <source>Demo offer: no page online</source>
        <translation>Offre de démonstration : pas de page en ligne</translation>
    </message>
    <message>
        <source>Apply on: %1</source>
        <translation>Candidature sur : %1</translation>
    </message>
</context>
<context>
    <name>DetailScreen</name>
    <message>
        <source>Scan to open this offer on your phone</source>
        <translation>Scannez pour ouvrir cette offre sur votre téléphone</translation>
    </message>
    <message>
        <source>How to apply</source>
        <translation>Pour postuler</translation>
    </message>
    <message>
        <source>Apply here</source>
        <translation>Postuler ici</translation>
    </message>
    <message>
        <source>Be called back</source>
        <translation>Être rappelé</translation>
    </message>
    <message>
        <source>Continue on my phone</source>
        <translation>Continuer sur mon téléphone</translation>
    </message>
    <message>
        <source>Open the offer on your phone to see how to apply.</source>
        <translation>Ouvrez l’offre sur votre téléphone pour savoir comment postuler.</translation>
    </message>
    <message>
        <source>This offer is no longer available.</source>
        <translation>Cette offre n’est plus disponible.</translation>
    </message>
    <message>
        <source>Job offer</source>
        <translation>Offre d’emploi</translation>
    </message>
    <message>
        <source>Back to the offers</source>
        <translation>Retour aux offres</translation>
    </message>
    <message>
        <source>Scan this code with your phone&apos;s camera to apply.</source>
        <translation>Scannez ce code avec l’appareil photo de votre téléphone pour postuler.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message numerus="yes">
        <source>Filters, %n in use</source>
        <translation>
            <numerusform>Filtres, %n actif</numerusform>
            <numerusform>Filtres, %n actifs</numerusform>
        </translation>
    </message>
    <message>
        <source>Contract, hours, distance and more, with the number of offers of each</source>
        <translation>Contrat, temps de travail, distance et plus, avec le nombre d’offres de chacun</translation>
    </message>
    <message>
        <source>Remove the filter %1</source>
        <translation>Retirer le filtre %1</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the filters</source>
        <translation>Fermer les filtres</translation>
    </message>
    <message>
        <source>Remove the filters</source>
        <translation>Retirer les filtres</translation>
    </message>
    <message>
        <source>Show %1</source>
        <comment>the number of offers, as in: Show 1,234 offers</comment>
        <translation>Afficher %1</translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message>
        <source>Contract</source>
        <translation>Contrat</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Temps de travail</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Formation</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publiée</translation>
    </message>
    <message>
        <source>Accessibility</source>
        <translation>Accessibilité</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>Métier</translation>
    </message>
    <message>
        <source>Apprenticeship</source>
        <translation>Alternance</translation>
    </message>
    <message>
        <source>Within %1</source>
        <translation>À moins de %1</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>%n dernier jour</numerusform>
            <numerusform>%n derniers jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Open to disabled workers</source>
        <translation>Ouvert aux travailleurs handicapés</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a filter chip: its group, its label</comment>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>Firms</name>
    <message>
        <source>These firms have not published a job offer: they are firms that often hire people for this trade. You can send them a spontaneous application.</source>
        <translation>Ces entreprises ne sont pas des offres d’emploi : elles n’ont pas publié d’offre, mais recrutent souvent dans ce métier. Vous pouvez leur envoyer une candidature spontanée.</translation>
    </message>
    <message>
        <source>These firms have not published a job offer: they are firms that often hire people for this trade. You can go and offer your services.</source>
        <translation>Ces entreprises ne sont pas des offres d’emploi : elles n’ont pas publié d’offre, mais recrutent souvent dans ce métier. Vous pouvez aller leur proposer vos services.</translation>
    </message>
    <message>
        <source>Your application goes to the job agency that runs this terminal, not to the firm directly. The agency calls you back and, if your profile fits, passes it on to the firm.</source>
        <translation>Votre candidature part à l’agence pour l’emploi qui gère cette borne, pas directement à l’entreprise. L’agence vous rappelle et, si votre profil correspond, la transmet à l’entreprise.</translation>
    </message>
    <message>
        <source>This terminal cannot send spontaneous applications: ask at the job agency.</source>
        <translation>Cette borne ne peut pas envoyer de candidature spontanée : demandez à l’agence pour l’emploi.</translation>
    </message>
    <message>
        <source>%1 to %2 employees</source>
        <translation>%1 à %2 salariés</translation>
    </message>
    <message>
        <source>%1 employees or more</source>
        <translation>%1 salariés ou plus</translation>
    </message>
    <message>
        <source>up to %1 employees</source>
        <translation>jusqu’à %1 salariés</translation>
    </message>
    <message>
        <source>For the trade: %1</source>
        <translation>Pour le métier : %1</translation>
    </message>
    <message>
        <source>For the trades: %1</source>
        <translation>Pour les métiers : %1</translation>
    </message>
    <message>
        <source>For your search: %1</source>
        <translation>Pour votre recherche : %1</translation>
    </message>
    <message>
        <source>Hires often</source>
        <translation>Recrute souvent</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>Source : %1</translation>
    </message>
    <message>
        <source>Your name and your phone number or e-mail go to the job agency that runs this terminal, not to the firm: an adviser calls you back about this firm and this trade and, if your profile fits, passes your application on to the firm. Nothing is kept on this terminal once it is sent. The agency keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.</source>
        <translation>Votre nom et votre numéro de téléphone ou votre e-mail vont à l’agence pour l’emploi qui gère cette borne, pas à l’entreprise : un conseiller vous rappelle au sujet de cette entreprise et de ce métier et, si votre profil correspond, transmet votre candidature à l’entreprise. Rien n’est gardé sur cette borne une fois l’envoi fait. L’agence les garde %1 jours au plus. Pour les consulter ou les faire effacer, contactez l’agence avec votre code de référence.</translation>
    </message>
    <message>
        <source>It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the agency as soon as the network allows. You have nothing more to do.</source>
        <translation>Elle est gardée en sécurité sur cette borne, verrouillée pour que seule l’agence puisse la lire, et part vers l’agence dès que le réseau le permet. Vous n’avez plus rien à faire.</translation>
    </message>
    <message>
        <source>It has reached the job agency. An adviser of the agency will call you back, not the firm itself.</source>
        <translation>Elle est arrivée à l’agence pour l’emploi. Un conseiller de l’agence vous rappellera, pas l’entreprise elle-même.</translation>
    </message>
</context>
<context>
    <name>FirmsButton</name>
    <message>
        <source>Firms near here that often hire</source>
        <translation>Entreprises qui recrutent souvent près d’ici</translation>
    </message>
    <message numerus="yes">
        <source>%n firm(s) that may hire you without a published offer.</source>
        <translation>
            <numerusform>%n entreprise qui peut vous embaucher sans offre publiée.</numerusform>
            <numerusform>%n entreprises qui peuvent vous embaucher sans offre publiée.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirmsScreen</name>
    <message>
        <source>Firms near here that often hire</source>
        <translation>Entreprises qui recrutent souvent près d’ici</translation>
    </message>
    <message>
        <source>This terminal is offline: the list is the one from its last connection.</source>
        <translation>Cette borne est hors ligne : la liste est celle de sa dernière connexion.</translation>
    </message>
    <message>
        <source>No firm near here for this trade right now.</source>
        <translation>Aucune entreprise près d’ici pour ce métier en ce moment.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Send a spontaneous application</source>
        <translation>Envoyer une candidature spontanée</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <source>button</source>
        <translation>bouton</translation>
    </message>
    <message>
        <source>text field</source>
        <translation>champ de texte</translation>
    </message>
    <message>
        <source>heading</source>
        <translation>titre</translation>
    </message>
    <message>
        <source>image</source>
        <translation>image</translation>
    </message>
    <message>
        <source>link</source>
        <translation>lien</translation>
    </message>
    <message>
        <source>space</source>
        <translation>espace</translation>
    </message>
    <message>
        <source>erase</source>
        <translation>effacer</translation>
    </message>
    <message>
        <source>hyphen</source>
        <translation>trait d’union</translation>
    </message>
    <message>
        <source>apostrophe</source>
        <translation>apostrophe</translation>
    </message>
    <message>
        <source>at sign</source>
        <translation>arobase</translation>
    </message>
    <message>
        <source>dot</source>
        <translation>point</translation>
    </message>
    <message>
        <source>Audio guidance on. Down arrow or Tab: next. Up arrow: previous. Enter: choose. F1: help.</source>
        <translation>Guidage vocal activé. Flèche bas ou Tab : suivant. Flèche haut : précédent. Entrée : choisir. F1 : aide.</translation>
    </message>
    <message>
        <source>Audio guidance off.</source>
        <translation>Guidage vocal désactivé.</translation>
    </message>
    <message>
        <source>Editing %1. Type on the keyboard, or turn the letter wheel with left and right and choose with Enter. Down arrow when done.</source>
        <translation>Saisie de %1. Tapez au clavier, ou faites défiler les lettres avec les flèches gauche et droite et choisissez avec Entrée. Flèche bas pour terminer.</translation>
    </message>
    <message>
        <source>Volume %1 of 10</source>
        <translation>Volume %1 sur 10</translation>
    </message>
    <message>
        <source>Fastest</source>
        <translation>Vitesse maximale</translation>
    </message>
    <message>
        <source>Slowest</source>
        <translation>Vitesse minimale</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>Plus vite</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>Moins vite</translation>
    </message>
    <message>
        <source>What you type will be read aloud. People nearby may hear it.</source>
        <translation>Ce que vous tapez sera lu à voix haute. Les personnes autour peuvent l’entendre.</translation>
    </message>
    <message>
        <source>What you type will no longer be read aloud on the loudspeaker.</source>
        <translation>Ce que vous tapez ne sera plus lu sur le haut-parleur.</translation>
    </message>
    <message>
        <source>Down arrow or Tab: next item. Up arrow or Shift Tab: previous item. Enter: choose. F4 or Backspace: back. F3: repeat. F9 and F10: volume. F7 and F8: speed. F2: audio guidance off.</source>
        <translation>Flèche bas ou Tab : élément suivant. Flèche haut ou Maj Tab : élément précédent. Entrée : choisir. F4 ou Retour arrière : revenir. F3 : répéter. F9 et F10 : volume. F7 et F8 : vitesse. F2 : arrêter le guidage vocal.</translation>
    </message>
    <message>
        <source>In a text field, type on the keyboard, or turn the letter wheel with left and right arrows and choose with Enter. F6: read what you type aloud.</source>
        <translation>Dans un champ, tapez au clavier, ou faites défiler les lettres avec les flèches gauche et droite et choisissez avec Entrée. F6 : lire à voix haute ce que vous tapez.</translation>
    </message>
    <message>
        <source>Plug a headset into the jack to hear what you type privately.</source>
        <translation>Branchez un casque sur la prise pour entendre en privé ce que vous tapez.</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>coché</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>non coché</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <source>filled in; plug in a headset to hear it</source>
        <translation>rempli ; branchez un casque pour l’entendre</translation>
    </message>
    <message>
        <source>not read aloud on the loudspeaker</source>
        <translation>non lu sur le haut-parleur</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n élément</numerusform>
            <numerusform>%n éléments</numerusform>
        </translation>
    </message>
    <message>
        <source>erased %1</source>
        <translation>effacé %1</translation>
    </message>
    <message>
        <source>erased</source>
        <translation>effacé</translation>
    </message>
    <message>
        <source>For audio guidance, press F2, or hold your finger on the screen.</source>
        <translation>Pour un guidage vocal, appuyez sur F2, ou gardez le doigt appuyé sur l’écran.</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <source>Are you still there?</source>
        <translation>Êtes-vous toujours là ?</translation>
    </message>
    <message>
        <source>Everything will be cleared in %1. Press Enter or touch the screen to continue.</source>
        <translation>Tout sera effacé dans %1. Appuyez sur Entrée ou touchez l’écran pour continuer.</translation>
    </message>
    <message>
        <source>To protect your privacy, everything will be cleared in</source>
        <translation>Pour protéger vos données, tout sera effacé dans</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>Je suis toujours là</translation>
    </message>
    <message>
        <source>Touch anywhere on the screen to continue.</source>
        <translation>Touchez l’écran n’importe où pour continuer.</translation>
    </message>
</context>
<context>
    <name>KDialog</name>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Job Kiosk</source>
        <translation>Borne emploi</translation>
    </message>
    <message>
        <source>Job offers near here</source>
        <translation>Offres d’emploi près d’ici</translation>
    </message>
    <message>
        <source>Clear and leave?</source>
        <translation>Effacer et quitter ?</translation>
    </message>
    <message>
        <source>What you typed will be cleared, and the next person will find an empty screen.</source>
        <translation>Ce que vous avez écrit sera effacé : la personne suivante trouvera un écran vide.</translation>
    </message>
    <message>
        <source>No, go on</source>
        <translation>Non, continuer</translation>
    </message>
    <message>
        <source>Clear and leave</source>
        <translation>Effacer et quitter</translation>
    </message>
</context>
<context>
    <name>OfferCard</name>
    <message>
        <source>Open to disabled workers</source>
        <translation>Ouvert aux travailleurs handicapés</translation>
    </message>
</context>
<context>
    <name>OfferText</name>
    <message>
        <source>Permanent</source>
        <translation>CDI</translation>
    </message>
    <message>
        <source>Fixed-term</source>
        <translation>CDD</translation>
    </message>
    <message>
        <source>Temporary (agency)</source>
        <translation>Intérim</translation>
    </message>
    <message>
        <source>Seasonal</source>
        <translation>Saisonnier</translation>
    </message>
    <message>
        <source>Commercial agent</source>
        <translation>Agent commercial</translation>
    </message>
    <message>
        <source>Franchise</source>
        <translation>Franchise</translation>
    </message>
    <message>
        <source>Self-employed</source>
        <translation>Libéral</translation>
    </message>
    <message>
        <source>Business takeover</source>
        <translation>Reprise d’entreprise</translation>
    </message>
    <message>
        <source>Temporary (integration)</source>
        <translation>Intérim d’insertion</translation>
    </message>
    <message>
        <source>Fixed-term (integration)</source>
        <translation>CDD d’insertion</translation>
    </message>
    <message>
        <source>Permanent agency worker</source>
        <translation>CDI intérimaire</translation>
    </message>
    <message>
        <source>Other contract</source>
        <translation>Autre contrat</translation>
    </message>
    <message>
        <source>Apprenticeship</source>
        <translation>Alternance</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n semaine</numerusform>
            <numerusform>%n semaines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n mois</numerusform>
            <numerusform>%n mois</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n an</numerusform>
            <numerusform>%n ans</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 m</source>
        <translation>%1 m</translation>
    </message>
    <message>
        <source>%1 km</source>
        <translation>%1 km</translation>
    </message>
    <message>
        <source>Posted today</source>
        <translation>Publiée aujourd’hui</translation>
    </message>
    <message>
        <source>Posted yesterday</source>
        <translation>Publiée hier</translation>
    </message>
    <message numerus="yes">
        <source>Posted %n day(s) ago</source>
        <translation>
            <numerusform>Publiée il y a %n jour</numerusform>
            <numerusform>Publiée il y a %n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n week(s) ago</source>
        <translation>
            <numerusform>Publiée il y a %n semaine</numerusform>
            <numerusform>Publiée il y a %n semaines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n month(s) ago</source>
        <translation>
            <numerusform>Publiée il y a %n mois</numerusform>
            <numerusform>Publiée il y a %n mois</numerusform>
        </translation>
    </message>
    <message>
        <source>Posted on %1</source>
        <translation>Publiée le %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>contract name, duration</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1, apprenticeship</source>
        <translation>%1, alternance</translation>
    </message>
    <message>
        <source>Full time</source>
        <translation>Temps plein</translation>
    </message>
    <message>
        <source>Part time</source>
        <translation>Temps partiel</translation>
    </message>
    <message>
        <source>Company not disclosed</source>
        <translation>Entreprise non communiquée</translation>
    </message>
    <message numerus="yes">
        <source>%Ln offer(s)</source>
        <translation>
            <numerusform>%Ln offre</numerusform>
            <numerusform>%Ln offres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OperatorPanel</name>
    <message>
        <source>Operator</source>
        <translation>Exploitant</translation>
    </message>
    <message>
        <source>Status of the terminal</source>
        <translation>État de la borne</translation>
    </message>
    <message>
        <source>Enter the operator PIN</source>
        <translation>Saisissez le code PIN opérateur</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a status row: its label, its value</comment>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Exit the kiosk</source>
        <translation>Quitter la borne</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>QrCode</name>
    <message>
        <source>QR code</source>
        <translation>Code QR</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>Choose a trade</source>
        <translation>Choisir un métier</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Me former</translation>
    </message>
    <message>
        <source>Prepare my application</source>
        <translation>Préparer ma candidature</translation>
    </message>
    <message>
        <source>Get help with digital</source>
        <translation>Me faire aider au numérique</translation>
    </message>
    <message>
        <source>The agency near here</source>
        <translation>L’agence près d’ici</translation>
    </message>
    <message>
        <source>Site in %1</source>
        <translation>Langue du site : %1</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message numerus="yes">
        <source>%n free service(s) to help you find work.</source>
        <translation>
            <numerusform>%n service gratuit pour vous aider à trouver un emploi.</numerusform>
            <numerusform>%n services gratuits pour vous aider à trouver un emploi.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose one, then scan its code with your phone to take it away.</source>
        <translation>Choisissez-en un, puis scannez son code avec votre téléphone pour l’emporter.</translation>
    </message>
    <message>
        <source>Services to help you find work</source>
        <translation>Des services pour trouver un emploi</translation>
    </message>
    <message>
        <source>Scan this code with your phone&apos;s camera to open %1</source>
        <translation>Scannez ce code avec l’appareil photo de votre téléphone pour ouvrir %1</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>These offers may be out of date.</source>
        <translation>Ces offres ne sont peut-être plus à jour.</translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n minute(s) ago.</source>
        <translation>
            <numerusform>Offres mises à jour il y a %n minute.</numerusform>
            <numerusform>Offres mises à jour il y a %n minutes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n hour(s) ago.</source>
        <translation>
            <numerusform>Offres mises à jour il y a %n h.</numerusform>
            <numerusform>Offres mises à jour il y a %n h.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n day(s) ago.</source>
        <translation>
            <numerusform>Offres mises à jour il y a %n jour.</numerusform>
            <numerusform>Offres mises à jour il y a %n jours.</numerusform>
        </translation>
    </message>
    <message>
        <source>No network.</source>
        <translation>Pas de réseau.</translation>
    </message>
    <message>
        <source>You can still apply: your application leaves as soon as the network is back.</source>
        <translation>Vous pouvez quand même postuler : votre candidature partira dès le retour du réseau.</translation>
    </message>
</context>
<context>
    <name>TradeTiles</name>
    <message>
        <source>Offers by trade</source>
        <translation>Offres par métier</translation>
    </message>
</context>
<context>
    <name>Trades</name>
    <message>
        <source>Farming and green spaces</source>
        <translation>Agriculture et espaces verts</translation>
    </message>
    <message>
        <source>Arts and crafts</source>
        <translation>Arts et artisanat d’art</translation>
    </message>
    <message>
        <source>Banking, insurance, property</source>
        <translation>Banque, assurance, immobilier</translation>
    </message>
    <message>
        <source>Shops and sales</source>
        <translation>Commerce et vente</translation>
    </message>
    <message>
        <source>Communication and media</source>
        <translation>Communication et médias</translation>
    </message>
    <message>
        <source>Building and public works</source>
        <translation>Bâtiment et travaux publics</translation>
    </message>
    <message>
        <source>Hotels, restaurants, leisure</source>
        <translation>Hôtellerie, restauration, loisirs</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>Industrie</translation>
    </message>
    <message>
        <source>Installation and maintenance</source>
        <translation>Installation et maintenance</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Santé</translation>
    </message>
    <message>
        <source>Care and community services</source>
        <translation>Services à la personne</translation>
    </message>
    <message>
        <source>Live shows</source>
        <translation>Spectacle</translation>
    </message>
    <message>
        <source>Office and IT</source>
        <translation>Bureau et informatique</translation>
    </message>
    <message>
        <source>Transport and logistics</source>
        <translation>Transport et logistique</translation>
    </message>
    <message>
        <source>Other trades</source>
        <translation>Autres métiers</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a trade tile: name, offers</comment>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>VerdictLayer</name>
    <message>
        <source>Did this terminal help you?</source>
        <translation>Cette borne vous a-t-elle aidé ?</translation>
    </message>
    <message>
        <source>Choose one of the three answers, or skip. Your answer is anonymous.</source>
        <translation>Choisissez une des trois réponses, ou passez. Votre réponse est anonyme.</translation>
    </message>
    <message>
        <source>Yes, it helped</source>
        <translation>Oui, elle m’a aidé</translation>
    </message>
    <message>
        <source>So-so</source>
        <translation>Moyennement</translation>
    </message>
    <message>
        <source>No, it did not</source>
        <translation>Non, pas vraiment</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Skip the question</source>
        <translation>Passer la question</translation>
    </message>
    <message>
        <source>Anonymous: only the number of answers is kept.</source>
        <translation>Anonyme : seul le nombre de réponses est gardé.</translation>
    </message>
</context>
<context>
    <name>style</name>
    <message>
        <source>Comma</source>
        <translation>Virgule</translation>
    </message>
    <message>
        <source>Full stop</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>Apostrophe</source>
        <translation>Apostrophe</translation>
    </message>
    <message>
        <source>At sign</source>
        <translation>Arobase</translation>
    </message>
    <message>
        <source>Hyphen</source>
        <translation>Tiret</translation>
    </message>
    <message>
        <source>Underscore</source>
        <translation>Tiret bas</translation>
    </message>
    <message>
        <source>Plus</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>Étoile</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Dièse</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Change the keyboard&apos;s language</source>
        <translation>Changer la langue du clavier</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Valider</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Hide the keyboard</source>
        <translation>Masquer le clavier</translation>
    </message>
    <message>
        <source>Caps lock</source>
        <translation>Verrouillage des majuscules</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Majuscule</translation>
    </message>
    <message>
        <source>space</source>
        <translation>espace</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espace</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Lettres</translation>
    </message>
    <message>
        <source>Digits and symbols</source>
        <translation>Chiffres et symboles</translation>
    </message>
    <message>
        <source>Handwriting</source>
        <translation>Écriture manuscrite</translation>
    </message>
</context>
</TS>
