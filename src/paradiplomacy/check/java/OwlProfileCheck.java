// The OWL 2 DL profile check of the OWL API (Debian's libowlapi-java), run by reasoning.py as
// `java -cp <owlapi jars> OwlProfileCheck.java FILE`: one violation per line on stdout, exit 1
// when there is any, 2 when the file cannot be read.
import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;

public class OwlProfileCheck {
    public static void main(String[] args) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        } catch (Exception err) {
            System.err.println(args[0] + ": the OWL API cannot read it: " + err.getMessage());
            System.exit(2);
            return;
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<String> lines = report.getViolations().stream().map(Object::toString).sorted().collect(Collectors.toList());
        lines.forEach(System.out::println);
        System.err.println(ontology.getOntologyID() + ": " + ontology.getAxiomCount() + " axioms, "
                + lines.size() + " OWL 2 DL profile violation(s)");
        System.exit(lines.isEmpty() ? 0 : 1);
    }
}
