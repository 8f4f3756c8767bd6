fn main() {
    let t = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    for (e, r) in pulldown_cmark::Parser::new(&t).into_offset_iter() {
        println!("{:?} {:?} {:?}", r, e, &t[r.clone()]);
    }
}
