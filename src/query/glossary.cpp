// The built-in glossary: concepts of the domain (operating a managed platform) with the
// words that name them in French, English, German, Spanish and Italian, and the stop
// words of lookups. A concept matches whatever the language of the query and of the
// matrix; docs/query.md lists the concepts.

#include "query/glossary.h"

#include <unordered_set>

namespace racine::query {

const std::vector<Concept>& glossary() {
  static const std::vector<Concept> k_concepts = {
      {"backup", {"sauvegarde", "sauvegarder", "backup", "backups", "sicherung", "datensicherung", "respaldo",
                  "copia de seguridad", "copias de seguridad", "salvataggio"}},
      {"restore", {"restauration", "restaurer", "restore", "restoration", "wiederherstellung", "wiederherstellen",
                   "restauracion", "restaurar", "ripristino", "ripristinare", "recovery", "reprise"}},
      {"disaster", {"sinistre", "disaster", "katastrophe", "notfall", "desastre", "catastrofe", "disastro"}},
      {"security", {"securite", "security", "secure", "sicherheit", "seguridad", "sicurezza", "securiser"}},
      {"patch", {"correctif", "correctifs", "patch", "patches", "patching", "hotfix", "parche", "parches",
                 "correzione", "correzioni", "patchen"}},
      {"update", {"mise a jour", "mises a jour", "mettre a jour", "update", "updates", "upgrade", "upgrades",
                  "aktualisierung", "aktualisieren", "actualizacion", "actualizar", "aggiornamento",
                  "aggiornare", "aggiornamenti", "update"}},
      {"certificate", {"certificat", "certificats", "certificate", "certificates", "cert", "certs", "zertifikat",
                       "zertifikate", "certificado", "certificados", "certificato", "certificati", "tls", "ssl"}},
      {"monitoring", {"surveillance", "surveiller", "supervision", "superviser", "monitoring", "monitor",
                      "uberwachung", "uberwachen", "monitorizacion", "supervisar", "monitoraggio",
                      "monitorare", "observability", "observabilite"}},
      {"alert", {"alerte", "alertes", "alert", "alerts", "alerting", "alarm", "alarme", "alarmierung", "alerta",
                 "alertas", "allarme", "allarmi", "avviso"}},
      {"network", {"reseau", "reseaux", "network", "networking", "netzwerk", "red", "redes", "rete", "reti"}},
      {"documentation", {"documentation", "docs", "dokumentation", "documentacion", "documentazione"}},
      {"audit", {"audit", "audits", "auditer", "auditoria", "auditorias", "prufung", "verifica"}},
      {"compliance", {"conformite", "compliance", "compliant", "konformitat", "cumplimiento", "conformita",
                      "normativa"}},
      {"support", {"support", "assistance", "helpdesk", "unterstutzung", "soporte", "asistencia", "supporto",
                   "assistenza"}},
      {"capacity", {"capacite", "capacites", "capacity", "kapazitat", "kapazitaten", "capacidad", "capacidades",
                    "capacita"}},
      {"application", {"application", "applications", "app", "apps", "applicatif", "applicative", "workload",
                       "workloads", "anwendung", "anwendungen", "aplicacion", "aplicaciones", "applicazione",
                       "applicazioni", "applicativo"}},
      {"operator", {"operateur", "operateurs", "operator", "operators", "operador", "operadores", "operatore",
                    "operatori", "operatoren"}},
      {"image", {"image", "images", "abbild", "imagen", "imagenes", "immagine", "immagini"}},
      {"registry", {"registre", "registres", "registry", "registries", "registro", "registri", "harbor"}},
      {"pipeline", {"pipeline", "pipelines", "ci cd", "cicd", "ci", "cd", "tuberia", "tuberias"}},
      {"project", {"projet", "projets", "project", "projects", "projekt", "projekte", "proyecto", "proyectos",
                   "progetto", "progetti", "namespace", "namespaces", "tenant", "tenants"}},
      {"access", {"acces", "access", "zugriff", "zugang", "acceso", "accesso", "rbac", "permission",
                  "permissions", "autorisation", "autorisations", "authorization", "berechtigung",
                  "berechtigungen", "permiso", "permisos", "permesso", "permessi", "autorizzazione",
                  "autorizzazioni", "droits", "rights"}},
      {"role", {"role", "roles", "rolle", "rollen", "rol", "roles", "ruolo", "ruoli"}},
      {"identity", {"identite", "identites", "identity", "identities", "identitat", "identidad", "identidades",
                    "identita", "iam", "sso", "oidc"}},
      {"node", {"noeud", "noeuds", "node", "nodes", "knoten", "nodo", "nodos", "nodi"}},
      {"resource", {"ressource", "ressources", "resource", "resources", "recurso", "recursos", "risorsa",
                    "risorse"}},
      {"license", {"licence", "licences", "license", "licenses", "licensing", "lizenz", "lizenzen", "licencia",
                   "licencias", "licenza", "licenze"}},
      {"deploy", {"deployer", "deploiement", "deploiements", "deploy", "deployment", "deployments", "rollout",
                  "bereitstellen", "bereitstellung", "desplegar", "despliegue", "implementar",
                  "distribuire", "distribuzione", "rilascio"}},
      {"install", {"installer", "installation", "install", "installing", "installieren", "installation",
                   "instalar", "instalacion", "installare", "installazione"}},
      {"configure", {"configurer", "configuration", "configure", "config", "settings", "konfigurieren",
                     "konfiguration", "configurar", "configuracion", "configurare", "configurazione"}},
      {"incident", {"resoudre", "resolution", "probleme", "problemes", "incident", "incidents", "troubleshoot",
                    "troubleshooting", "issue", "issues", "problem", "problems", "outage", "panne", "storung",
                    "storungen", "fehlerbehebung", "problema", "problemas", "resolver", "resolucion",
                    "risolvere", "risoluzione", "problemi", "guasto"}},
      {"performance", {"performance", "performances", "leistung", "rendimiento", "prestazioni", "latency",
                       "latence"}},
      {"scaling", {"echelle", "scaling", "scale", "autoscaling", "skalierung", "skalieren", "escalado",
                   "escalabilidad", "scalabilita", "scalare"}},
      {"availability", {"disponibilite", "availability", "verfugbarkeit", "disponibilidad", "disponibilita",
                        "ha"}},
      {"storage", {"stockage", "storage", "speicher", "almacenamiento", "archiviazione", "volume", "volumes",
                   "ceph", "pvc"}},
      {"strategy", {"strategie", "strategy", "estrategia", "strategia"}},
      {"policy", {"politique", "politiques", "policy", "policies", "richtlinie", "richtlinien", "politica",
                  "politicas", "criteri", "kyverno"}},
      {"plan", {"planifier", "planification", "plan", "planning", "planen", "planung", "planificar",
                "planificacion", "pianificare", "pianificazione"}},
      {"test", {"tester", "test", "tests", "testing", "testen", "probar", "prueba", "pruebas", "testare",
                "verificare"}},
      {"architecture", {"architecture", "architektur", "arquitectura", "architettura", "design"}},
      {"sizing", {"dimensionner", "dimensionnement", "sizing", "size", "dimensionierung", "dimensionamiento",
                  "dimensionamento"}},
      {"crd", {"crd", "crds", "custom resource", "custom resources", "customresourcedefinition"}},
      {"container", {"conteneur", "conteneurs", "container", "containers", "contenedor", "contenedores",
                     "contenitore", "contenitori", "pod", "pods"}},
      {"cluster", {"cluster", "clusters", "grappe", "kubernetes", "k8s", "plateforme", "platform", "plattform",
                   "plataforma", "piattaforma", "socle"}},
      {"service", {"service", "services", "dienst", "dienste", "dienstes", "servicio", "servicios", "servizio",
                   "servizi"}},
      {"specific", {"specifique", "specifiques", "specific", "spezifisch", "spezifische", "especifico",
                    "especificos", "specifico", "specifici", "custom", "bespoke"}},
      {"development", {"developpement", "developper", "development", "develop", "entwicklung", "entwickeln",
                       "desarrollo", "desarrollar", "sviluppo", "sviluppare"}},
      {"maintain", {"maintenir", "maintenance", "maintain", "maintaining", "wartung", "warten",
                    "mantenimiento", "mantener", "manutenzione", "mantenere"}},
      {"evolution", {"evolution", "evolutions", "change", "changes", "changement", "changements", "anderung",
                     "anderungen", "cambio", "cambios", "modifica", "modifiche", "evoluzione", "evolucion"}},
  };
  return k_concepts;
}

bool is_stop_word(std::string_view w) {
  static const std::unordered_set<std::string_view> k_words = {
      // French
      "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "ou", "a", "au", "aux", "en", "pour",
      "par", "sur", "dans", "avec", "sans", "qui", "que", "quoi", "quel", "quelle", "quels", "quelles", "est",
      "sont", "ce", "cet", "cette", "ces", "se", "sa", "son", "ses", "leur", "leurs", "qu", "y", "il", "elle",
      "on", "nous", "vous", "je", "doit", "doivent", "fait", "faire", "comment", "ne", "pas", "s", "c", "j",
      "responsable", "responsables", "charge", "occupe", "gere", "notre", "nos", "mon", "mes",
      // English
      "the", "an", "of", "to", "for", "and", "or", "in", "on", "at", "by", "with", "without", "who", "whom",
      "what", "which", "how", "does", "do", "is", "are", "be", "should", "must", "handles", "handle",
      "responsible", "accountable", "takes", "care", "our", "my", "we", "i", "it", "its", "their", "from",
      "this", "that", "these", "those",
      // German
      "der", "die", "das", "den", "dem", "ein", "eine", "einen", "einem", "einer", "und", "oder", "fur", "von",
      "zu", "im", "am", "an", "auf", "mit", "ohne", "wer", "was", "wie", "welche", "welcher", "ist", "sind",
      "wird", "werden", "macht", "verantwortlich", "zustandig", "unsere", "unser",
      // Spanish
      "el", "los", "las", "del", "unos", "unas", "o", "para", "por", "con", "sin", "quien", "quienes", "como",
      "es", "son", "su", "sus", "lo", "al", "responsabilidad", "nuestro", "nuestros", "nuestra",
      // Italian
      "il", "gli", "i", "di", "della", "dei", "delle", "degli", "dello", "uno", "e", "per", "su", "chi", "che",
      "cosa", "come", "sono", "si", "suo", "sua", "alla", "ai", "agli", "nel", "nella", "responsabile",
      "nostro", "nostri"};
  return k_words.contains(w);
}

}  // namespace racine::query
