package ui

import (
	"strings"

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
	"signed_in_as":      {"Signed in as", "Connecté en tant que", "Sesión iniciada como", "تم الدخول باسم"},
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
