package ui

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/itu-stocktaking/stocktaking/search"
)

// words is one label in English, French, Spanish and Arabic.
type words struct{ en, fr, es, ar string }

// in returns the label in lang, falling back to English.
func (w words) in(lang string) string {
	return search.Label{En: w.en, Fr: w.fr, Es: w.es, Ar: w.ar}.In(lang)
}

// lifecycleLabels are the words of the submission, sign-in and moderation
// pages. The French, Spanish and Arabic texts need review by translators.
var lifecycleLabels = map[string]words{
	"submit_title":      {"Submit a project", "Soumettre un projet", "Enviar un proyecto", "تقديم مشروع"},
	"update_title":      {"Update a published project", "Mettre à jour un projet publié", "Actualizar un proyecto publicado", "تحديث مشروع منشور"},
	"submit_intro":      {"Projects are published after review by the WSIS Stocktaking team.", "Les projets sont publiés après examen par l'équipe de l'inventaire du SMSI.", "Los proyectos se publican tras su revisión por el equipo del inventario de la CMSI.", "تُنشر المشاريع بعد مراجعتها من قِبل فريق حصر أنشطة القمة العالمية لمجتمع المعلومات."},
	"edition_note":      {"Sent today, it counts in the %d edition.", "Envoyé aujourd'hui, il compte pour l'édition %d.", "Enviado hoy, cuenta para la edición %d.", "إذا أُرسل اليوم، يُحتسب في إصدار %d."},
	"readonly":          {"This server is a read-only copy: it accepts no submissions.", "Ce serveur est une copie en lecture seule : il n'accepte aucune soumission.", "Este servidor es una copia de solo lectura: no acepta envíos.", "هذا الخادم نسخة للقراءة فقط: لا يقبل أي تقديمات."},
	"required":          {"required", "obligatoire", "obligatorio", "مطلوب"},
	"choose":            {"— choose —", "— choisir —", "— elegir —", "— اختر —"},
	"send":              {"Send for review", "Envoyer pour examen", "Enviar para revisión", "إرسال للمراجعة"},
	"fix_errors":        {"Please correct the fields marked below.", "Veuillez corriger les champs signalés ci-dessous.", "Corrija los campos señalados a continuación.", "يُرجى تصحيح الحقول المشار إليها أدناه."},
	"title":             {"Project title", "Titre du projet", "Título del proyecto", "عنوان المشروع"},
	"short_description": {"Short description", "Description courte", "Descripción breve", "وصف موجز"},
	"description":       {"Full description", "Description complète", "Descripción completa", "الوصف الكامل"},
	"organization":      {"Organization", "Organisation", "Organización", "المنظمة"},
	"stakeholder":       {"Type of stakeholder", "Type de partie prenante", "Tipo de parte interesada", "نوع الجهة المعنية"},
	"country":           {"Country", "Pays", "País", "البلد"},
	"coverage":          {"Coverage", "Portée", "Alcance", "النطاق"},
	"status":            {"Project status", "État du projet", "Estado del proyecto", "حالة المشروع"},
	"start_date":        {"Start date (YYYY-MM-DD)", "Date de début (AAAA-MM-JJ)", "Fecha de inicio (AAAA-MM-DD)", "تاريخ البدء (YYYY-MM-DD)"},
	"end_date":          {"End date (YYYY-MM-DD)", "Date de fin (AAAA-MM-JJ)", "Fecha de finalización (AAAA-MM-DD)", "تاريخ الانتهاء (YYYY-MM-DD)"},
	"action_lines":      {"WSIS Action Lines", "Grandes orientations du SMSI", "Líneas de acción de la CMSI", "خطوط عمل القمة"},
	"sdgs":              {"Sustainable Development Goals", "Objectifs de développement durable", "Objetivos de Desarrollo Sostenible", "أهداف التنمية المستدامة"},
	"website":           {"Website", "Site web", "Sitio web", "الموقع الإلكتروني"},
	"language":          {"Language of the text", "Langue du texte", "Idioma del texto", "لغة النص"},
	"collections":       {"Collections", "Collections", "Colecciones", "المجموعات"},
	"update_of":         {"Id of the published project", "Identifiant du projet publié", "Identificador del proyecto publicado", "معرّف المشروع المنشور"},
	"your_submission":   {"Your submission", "Votre soumission", "Su envío", "تقديمك"},
	"keep_ref":          {"Keep this reference: with it you can check the status of your submission at this address.", "Conservez cette référence : elle permet de suivre votre soumission à cette adresse.", "Guarde esta referencia: con ella puede consultar el estado de su envío en esta dirección.", "احتفظ بهذا المرجع: يمكنك به متابعة حالة تقديمك على هذا العنوان."},
	"reference":         {"Reference", "Référence", "Referencia", "المرجع"},
	"submitted":         {"Submitted", "Soumis le", "Enviado el", "تاريخ التقديم"},
	"decided":           {"Decided", "Décidé le", "Decidido el", "تاريخ القرار"},
	"note":              {"Note", "Note", "Nota", "ملاحظة"},
	"published_as":      {"Published as", "Publié sous", "Publicado como", "نُشر باسم"},
	"pending":           {"Waiting for review", "En attente d'examen", "En espera de revisión", "بانتظار المراجعة"},
	"changes-requested": {"Changes requested", "Modifications demandées", "Cambios solicitados", "طُلبت تعديلات"},
	"approved":          {"Approved and published", "Approuvé et publié", "Aprobado y publicado", "تمت الموافقة والنشر"},
	"rejected":          {"Rejected", "Refusé", "Rechazado", "مرفوض"},
	"signin_title":      {"Moderator sign-in", "Connexion des modérateurs", "Acceso de moderadores", "دخول المشرفين"},
	"token":             {"Access token", "Jeton d'accès", "Token de acceso", "رمز الوصول"},
	"signin":            {"Sign in", "Se connecter", "Iniciar sesión", "تسجيل الدخول"},
	"signout":           {"Sign out", "Se déconnecter", "Cerrar sesión", "تسجيل الخروج"},
	"bad_token":         {"This token is unknown or revoked.", "Ce jeton est inconnu ou révoqué.", "Este token es desconocido o fue revocado.", "هذا الرمز غير معروف أو مُلغى."},
	"moderation":        {"Moderation", "Modération", "Moderación", "الإشراف"},
	"kind":              {"Kind", "Type", "Tipo", "النوع"},
	"new_entry":         {"New", "Nouveau", "Nuevo", "جديد"},
	"update":            {"Update of", "Mise à jour de", "Actualización de", "تحديث لـ"},
	"none":              {"Nothing here.", "Rien ici.", "Nada aquí.", "لا شيء هنا."},
	"more":              {"More", "Suite", "Más", "المزيد"},
	"changes":           {"Changes", "Modifications", "Cambios", "التعديلات"},
	"field":             {"Field", "Champ", "Campo", "الحقل"},
	"before":            {"Published", "Publié", "Publicado", "المنشور"},
	"after":             {"Submitted", "Soumis", "Enviado", "المقدَّم"},
	"decide":            {"Decision", "Décision", "Decisión", "القرار"},
	"approve":           {"Approve and publish", "Approuver et publier", "Aprobar y publicar", "الموافقة والنشر"},
	"request-changes":   {"Request changes", "Demander des modifications", "Solicitar cambios", "طلب تعديلات"},
	"reject":            {"Reject", "Refuser", "Rechazar", "رفض"},
	"note_hint":         {"Note to the submitter (required to reject or request changes)", "Note à l'auteur (obligatoire pour refuser ou demander des modifications)", "Nota para el remitente (obligatoria para rechazar o solicitar cambios)", "ملاحظة لمقدِّم الطلب (مطلوبة للرفض أو لطلب التعديلات)"},
	"id":                {"Id", "Identifiant", "Identificador", "المعرّف"},
	"year":              {"Edition", "Édition", "Edición", "الإصدار"},
	"region":            {"Region", "Région", "Región", "المنطقة"},
	"withdrawn":         {"Withdrawn", "Retiré", "Retirado", "مسحوب"},
	"sec_project":       {"The project", "Le projet", "El proyecto", "المشروع"},
	"sec_description":   {"Description", "Description", "Descripción", "الوصف"},
	"sec_themes":        {"WSIS Action Lines and SDGs", "Grandes orientations du SMSI et ODD", "Líneas de acción de la CMSI y ODS", "خطوط عمل القمة وأهداف التنمية المستدامة"},
	"sec_details":       {"Details", "Précisions", "Detalles", "التفاصيل"},
	"required_note":     {"Fields marked (required) must be filled in; everything else helps people find your project.", "Les champs marqués (obligatoire) doivent être remplis ; les autres aident à trouver votre projet.", "Los campos marcados (obligatorio) deben completarse; los demás ayudan a encontrar su proyecto.", "يجب ملء الحقول المعلَّمة (مطلوب)؛ وتساعد الحقول الأخرى على العثور على مشروعك."},
	"steps_title":       {"What happens next", "Et ensuite ?", "Próximos pasos", "الخطوات التالية"},
	"step_send":         {"You get a reference and a private page to follow your submission.", "Vous recevez une référence et une page privée pour suivre votre soumission.", "Recibe una referencia y una página privada para seguir su envío.", "تحصل على مرجع وصفحة خاصة لمتابعة تقديمك."},
	"step_review":       {"The WSIS Stocktaking team reviews the project and may ask for changes.", "L'équipe de l'inventaire du SMSI examine le projet et peut demander des modifications.", "El equipo del inventario de la CMSI revisa el proyecto y puede solicitar cambios.", "يراجع فريق حصر أنشطة القمة المشروع وقد يطلب تعديلات."},
	"step_publish":      {"Once approved, the project is published and can be found in the search.", "Une fois approuvé, le projet est publié et apparaît dans la recherche.", "Una vez aprobado, el proyecto se publica y aparece en la búsqueda.", "بعد الموافقة، يُنشر المشروع ويظهر في نتائج البحث."},
	"signin_intro":      {"For the moderators and administrators of the WSIS Stocktaking. Access tokens are issued by an administrator.", "Réservé aux modérateurs et administrateurs de l'inventaire du SMSI. Les jetons d'accès sont délivrés par un administrateur.", "Reservado a los moderadores y administradores del inventario de la CMSI. Los tokens de acceso los emite un administrador.", "مخصص لمشرفي ومسؤولي حصر أنشطة القمة العالمية لمجتمع المعلومات. يصدر رموز الوصول أحد المسؤولين."},
	"submit_another":    {"Submit another project", "Soumettre un autre projet", "Enviar otro proyecto", "تقديم مشروع آخر"},
	"back_search":       {"Back to the search", "Retour à la recherche", "Volver a la búsqueda", "العودة إلى البحث"},
	"signed_in_as":      {"Signed in as", "Connecté en tant que", "Sesión iniciada como", "تم الدخول باسم"},
	// the withdrawal form of the moderation page; %s is an entry id, %d a length
	"withdraw_title":       {"Withdraw an entry", "Retirer un projet", "Retirar un proyecto", "سحب مشروع"},
	"withdraw_intro":       {"A withdrawn entry leaves the search but stays in the store with its history; the withdrawal is recorded as a revision with your name and the reason.", "Un projet retiré disparaît de la recherche mais reste enregistré avec son historique ; le retrait est consigné comme une révision, avec votre nom et le motif.", "Un proyecto retirado deja de aparecer en la búsqueda pero se conserva con su historial; la retirada queda registrada como una revisión con su nombre y el motivo.", "يختفي المشروع المسحوب من نتائج البحث لكنه يبقى محفوظًا مع سجلّه؛ ويُسجَّل السحب مراجعةً تحمل اسمك والسبب."},
	"withdraw_id":          {"Entry id or address", "Identifiant ou adresse du projet", "Identificador o dirección del proyecto", "معرّف المشروع أو عنوانه"},
	"withdraw_reason":      {"Reason (kept in the entry's history)", "Motif (conservé dans l'historique du projet)", "Motivo (se conserva en el historial del proyecto)", "السبب (يُحفظ في سجلّ المشروع)"},
	"withdraw_button":      {"Withdraw", "Retirer", "Retirar", "سحب"},
	"withdraw_done":        {"Entry %s was withdrawn: it no longer appears in the search.", "Le projet %s a été retiré : il n'apparaît plus dans la recherche.", "El proyecto %s se ha retirado: ya no aparece en la búsqueda.", "سُحب المشروع \u2068%s\u2069: لم يعد يظهر في نتائج البحث."},
	"withdraw_no_id":       {"Give the id or the address of the entry to withdraw.", "Indiquez l'identifiant ou l'adresse du projet à retirer.", "Indique el identificador o la dirección del proyecto que desea retirar.", "أدخل معرّف المشروع المراد سحبه أو عنوانه."},
	"withdraw_bad_id":      {"This is neither an entry id nor the address of an entry page.", "Ce n'est ni un identifiant de projet ni l'adresse de la page d'un projet.", "No es un identificador de proyecto ni la dirección de la página de un proyecto.", "هذا ليس معرّف مشروع ولا عنوان صفحة مشروع."},
	"withdraw_no_reason":   {"Give the reason for the withdrawal.", "Indiquez le motif du retrait.", "Indique el motivo de la retirada.", "أدخل سبب السحب."},
	"withdraw_long_reason": {"The reason is longer than %d characters.", "Le motif dépasse %d caractères.", "El motivo supera los %d caracteres.", "يتجاوز السبب %d حرف."},
	"withdraw_unknown":     {"No entry has the id %s.", "Aucun projet n'a l'identifiant %s.", "Ningún proyecto tiene el identificador %s.", "لا يوجد مشروع بالمعرّف \u2068%s\u2069."},
	"withdraw_already":     {"Entry %s is already withdrawn.", "Le projet %s est déjà retiré.", "El proyecto %s ya está retirado.", "المشروع \u2068%s\u2069 مسحوب بالفعل."},
	"entry_page":           {"Entry page", "Page du projet", "Página del proyecto", "صفحة المشروع"},
	"history":              {"History", "Historique", "Historial", "السجلّ"},
}

// uiLangs are the languages of the lifecycle pages.
var uiLangs = []string{"en", "fr", "es", "ar"}

// pageLang picks the page language: ?lang=, then Accept-Language, then en.
func pageLang(c *fiber.Ctx) string {
	if l := strings.ToLower(c.Query("lang")); l != "" {
		for _, u := range uiLangs {
			if l == u {
				return u
			}
		}
	}
	if l := c.AcceptsLanguages(uiLangs...); l != "" {
		return l
	}
	return "en"
}

// pageBase is what every lifecycle page shows around its content.
type pageBase struct {
	Lang  string
	Title string
	User  string // signed-in token name, or ""
	CSRF  string // the session's CSRF token, for the sign-out form
	Frame frame  // the header and footer, set by lifecycle.render
}

// T returns the label key in the page language.
func (p pageBase) T(key string) string {
	if w, ok := lifecycleLabels[key]; ok {
		return w.in(p.Lang)
	}
	return key
}

// Dir is the writing direction of the page language.
func (p pageBase) Dir() string {
	if p.Lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// fieldMessages translate the field messages of search.Validate and of the
// submission form, which are English (the API keeps them so), for the
// form. en is the English format as the message is made; each verb of it
// (%d, %q, %s) becomes a %s argument of the translations, which get the
// text the verb produced (in Arabic isolated, as are URLs and codes, from
// the right-to-left text around it). A message no format matches stays
// English. TestFieldMessagesTranslated keeps this list in step with
// search.Validate.
var fieldMessages = []struct {
	en string
	w  words
}{
	{"is required", words{"", "Champ obligatoire", "Campo obligatorio", "هذا الحقل مطلوب"}},
	{"must be valid UTF-8", words{"", "Le texte doit être en UTF-8 valide", "El texto debe estar en UTF-8 válido", "يجب أن يكون النص بترميز UTF-8 صالح"}},
	{"must be at most %d characters (has %d)", words{"", "%s caractères au maximum (le texte en compte %s)", "Como máximo %s caracteres (el texto tiene %s)", "الحد الأقصى %s حرفًا (يحتوي النص على %s)"}},
	{"must be at most %d characters", words{"", "%s caractères au maximum", "Como máximo %s caracteres", "الحد الأقصى %s حرفًا"}},
	{"unknown country code %q (want ISO 3166-1 alpha-3 or %s)", words{"", "Code de pays inconnu %s (attendu : ISO 3166-1 alpha-3 ou %s)", "Código de país desconocido %s (se espera ISO 3166-1 alfa-3 o %s)", "رمز بلد غير معروف \u2068%s\u2069 (المطلوب \u2066ISO 3166-1 alpha-3\u2069 أو \u2068%s\u2069)"}},
	{"unknown value %q (want one of %s)", words{"", "Valeur inconnue %s (valeurs possibles : %s)", "Valor desconocido %s (valores posibles: %s)", "قيمة غير معروفة \u2068%s\u2069 (القيم الممكنة: \u2068%s\u2069)"}},
	{"must be a date YYYY, YYYY-MM or YYYY-MM-DD", words{"", "Date attendue sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ", "Se espera una fecha AAAA, AAAA-MM o AAAA-MM-DD", "يجب أن يكون تاريخًا بصيغة \u2066YYYY\u2069 أو \u2066YYYY-MM\u2069 أو \u2066YYYY-MM-DD\u2069"}},
	{"must not be before the start date", words{"", "La date de fin ne peut pas précéder la date de début", "La fecha de finalización no puede ser anterior a la de inicio", "يجب ألا يسبق تاريخ الانتهاء تاريخ البدء"}},
	{"must be between %d and %d", words{"", "Doit être compris entre %s et %s", "Debe estar entre %s y %s", "يجب أن يكون بين %s و%s"}},
	{"at least one action line is required", words{"", "Choisissez au moins une grande orientation", "Elija al menos una línea de acción", "اختر خط عمل واحدًا على الأقل"}},
	{"unknown action line %q", words{"", "Grande orientation inconnue : %s", "Línea de acción desconocida: %s", "خط عمل غير معروف: \u2068%s\u2069"}},
	{"SDG %d is not between 1 and 17", words{"", "L'ODD %s n'est pas compris entre 1 et 17", "El ODS %s no está entre 1 y 17", "الهدف %s ليس بين 1 و17"}},
	{"must be an http:// or https:// address", words{"", "Adresse attendue en http:// ou https://", "Se espera una dirección http:// o https://", "يجب أن يكون عنوانًا يبدأ بـ \u2066http://\u2069 أو \u2066https://\u2069"}},
	{"%q is not an SDG number", words{"", "%s n'est pas un numéro d'ODD", "%s no es un número de ODS", "\u2068%s\u2069 ليس رقم هدف من أهداف التنمية المستدامة"}},
	{"no published entry has the id %q", words{"", "Aucun projet publié n'a l'identifiant %s", "Ningún proyecto publicado tiene el identificador %s", "لا يوجد مشروع منشور بالمعرّف \u2068%s\u2069"}},
	{"must be empty or equal update_of", words{"", "Doit être vide ou égal à l'identifiant du projet mis à jour", "Debe estar vacío o ser igual al identificador del proyecto actualizado", "يجب أن يكون فارغًا أو مساويًا لمعرّف المشروع المحدَّث"}},
}

// fieldMessageREs are the English formats of fieldMessages as patterns
// that capture what each verb produced.
var fieldMessageREs = sync.OnceValue(func() []*regexp.Regexp {
	verbs := strings.NewReplacer(regexp.QuoteMeta("%d"), `(-?\d+)`, regexp.QuoteMeta("%q"), `("(?:[^"\\]|\\.)*")`, regexp.QuoteMeta("%s"), `(.*?)`)
	out := make([]*regexp.Regexp, len(fieldMessages))
	for i, m := range fieldMessages {
		out[i] = regexp.MustCompile("^" + verbs.Replace(regexp.QuoteMeta(m.en)) + "$")
	}
	return out
})

// fieldMessage returns a field message of the API in lang.
func fieldMessage(lang, msg string) string {
	if lang == "en" || lang == "" {
		return msg
	}
	for i, re := range fieldMessageREs() {
		m := re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for j, a := range m[1:] {
			args[j] = a
		}
		return fmt.Sprintf(fieldMessages[i].w.in(lang), args...)
	}
	return msg
}
