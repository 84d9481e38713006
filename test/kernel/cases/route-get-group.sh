# ip route get for the limited broadcast and multicast groups. __mkroute_output drops the FIB
# entry's gateway for a broadcast, and for a group that only a route shorter than /4 covers,
# so neither goes "via" the default gateway. A group is typed multicast, its cache flags are
# <mc>, with local when the link joined the group (224.0.0.1 on every link), and iproute2 6.1
# prints the RTCF_MULTICAST bit as rt_offload_failed. With a source and no output link, a
# group or broadcast leaves by the link that owns the source, without a FIB lookup.
# Links a0 (10.1.0.1/24) and b0 (10.2.0.1/24). Probes: no route at all, then a default route
# via a0, then 239.0.0.0/8 via a gateway on b0 (a /8 keeps its gateway), then 224.0.0.0/4 dev b0.
ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 up
ip link set a1 up
ip link set b0 up
ip link set b1 up
ip addr add 10.1.0.1/24 dev a0
ip addr add 10.2.0.1/24 dev b0
ip route get 255.255.255.255
ip route get 224.0.0.1
ip route add default via 10.1.0.254
ip route get 255.255.255.255
ip route get 255.255.255.255 from 10.2.0.1
ip route get 224.0.0.1
ip route get 224.0.0.1 mark 5
ip route get 224.0.0.251
ip route get 239.1.2.3
ip route get 224.0.0.1 oif b0
ip route get 239.1.2.3 oif b0
ip route get 255.255.255.255 oif b0
ip route add 239.0.0.0/8 via 10.2.0.254
ip route get 239.1.2.3
ip route get 224.0.0.1
ip route add 224.0.0.0/4 dev b0
ip route get 224.0.0.1
ip route get 224.0.0.251
ip route get fibmatch 224.0.0.251
ip route del default
ip route get 255.255.255.255
ip route get 10.1.0.255
