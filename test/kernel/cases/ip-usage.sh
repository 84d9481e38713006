# ip without an object prints its usage and exits 255.
ip
