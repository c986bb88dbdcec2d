helper_twice(x) = 2x
const HELPER_NAME = "from included file"
