package exchange
import ("testing";"math/rand";"os";"path/filepath";"time";"fmt")
func TestZZHang(t *testing.T){
 files, _ := filepath.Glob("testdata/*.*")
 var seeds [][]byte
 for _, n := range files { b,_ := os.ReadFile(n); seeds = append(seeds, b) }
 r := rand.New(rand.NewSource(1))
 for i := 0; i < 3000; i++ {
   d := append([]byte(nil), seeds[r.Intn(len(seeds))]...)
   for k := 0; k < 1+r.Intn(5); k++ { if len(d)>0 { d[r.Intn(len(d))] = byte(r.Intn(256)) } }
   start := time.Now()
   done := make(chan bool)
   go func(){ for _, f := range []Format{FormatJSONL, FormatJSON, FormatCSV} { readBytes(t, d, f, Options{DefaultYear:2015}, 3) }; done <- true }()
   select { case <-done: case <-time.After(3*time.Second): os.WriteFile("/tmp/hang.bin", d, 0o644); t.Fatalf("hang on %q", d) }
   if el := time.Since(start); el > 100*time.Millisecond { fmt.Println("slow", el) }
 }
}
