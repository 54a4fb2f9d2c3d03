package exchange
import ("testing";"fmt")
func TestZZ(t *testing.T){
 _, es := readFile(t, prizes2015, FormatCSV, Options{DefaultYear:2015}, 500)
 for _, e := range es { if e.Language!="en" {fmt.Println(e.Language, e.Title)}; fmt.Println("SH", e.Stakeholder, "|", e.Organization) }
}
