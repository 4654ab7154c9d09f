return {
   api = 1,
   name = "county",
}
