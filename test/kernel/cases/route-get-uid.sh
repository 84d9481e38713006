# ip route get prints the uid the request names, also with iif; without one, uid 0 and none with
# iif. 4294967295 is the invalid uid, which the reply leaves out, and a larger one is an error.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route get 10.0.0.2 uid 1000
ip route get 10.0.0.2 uid 0x10
ip route get 10.0.0.2 uid x
ip route get 10.0.0.1 from 10.0.0.2 iif v1 uid 1000
ip route get 10.0.0.1 from 10.0.0.2 iif v1
ip route get 10.0.0.1 uid 4294967295
ip route get 10.0.0.1 uid 4294967296
ip route get 10.0.0.1 uid 0xffffffff
ip route get 10.0.0.1 uid 7
