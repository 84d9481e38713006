# Where `ip route add` reads a route type: anywhere a destination may stand, after an optional
# `to`, and the next word is then the destination. A second destination, or a type after the
# destination, is the garbage word; a type at the end wants one more word. Types, `metric`,
# `priority`, `protocol` and `table` may be abbreviated, and `help` prints the usage.
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.9.0.1/24 dev br0
ip route add 10.0.0.1/24 blackhole tos 0x1
ip route add 10.0.0.0/24 blackhole
ip route add blackhole 10.0.1.0/24 unicast
ip route add 10.0.2.0/24 dev br0 blackhole
ip route add 10.0.3.0/24 blackhole 10.0.4.0/24
ip route add to 10.0.5.0/24 to 10.0.6.0/24
ip route add to unreachable 10.0.7.0/24
ip route add u 10.0.8.0/24
ip route add bl 10.0.9.0/24
ip route add b 10.0.10.0/24 dev br0
ip route add 10.0.11.0/24 dev br0 met 7
ip route add 10.0.12.0/24 dev br0 p 010
ip route add 10.0.13.0/24 dev br0 pro static ta 100
ip route add 10.0.14.0/24 dev br0 metric -1
ip route add 10.0.15.0/24 dev br0 to
ip route add prohibit
ip route add blackhole blackhole
ip route add 10.0.16.0/24 help
ip route help
ip route show
ip route show table all type unreachable
ip route show table 100
ip route del bl 10.0.9.0/24
ip route del 10.0.11.0/24 met 7
ip route show
