# timeout ends ping with SIGTERM, which ping does not handle: no statistics, exit 124.
ip addr add 10.0.0.1/24 dev lo
timeout 1.5 ping -c 5 10.0.0.1
timeout 2.5 ping -c 2 -i 2 10.0.0.1; echo $?
timeout 1 bash -c 'ping -c 1 10.0.0.1; ping -c 3 10.0.0.1'
