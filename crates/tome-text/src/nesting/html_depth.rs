//! How deep html5ever would nest an HTML text, found by html5ever itself.
//!
//! The text is parsed exactly as the sanitizer and the importers parse it (same
//! tokenizer, same tree construction, same options), but into a sink that keeps no tree:
//! each element remembers only its depth. The text is fed in small chunks and the parse
//! stops at the first chunk in which an element lands deeper than the limit. Tree
//! construction walks the stack of open elements for many tags, so it is quadratic in
//! the depth; stopping just past the limit keeps it linear in the length (at most
//! `limit + CHUNK` open elements are ever walked).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, ExpandedName, LocalName, QualName, local_name, ns};

/// Bytes fed between two checks of the depth.
const CHUNK: usize = 1024;

/// Whether the HTML is parsed as a whole page or as a fragment of a page's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Document,
    Fragment,
}

/// The deepest element nesting in `html` (the fragment's own elements start at 1), or
/// `None` as soon as it is known to exceed `limit`.
pub fn depth_within(html: &str, mode: Mode, limit: usize) -> Option<usize> {
    let state = Rc::new(State {
        limit,
        deepest: Cell::new(0),
        over: Cell::new(false),
    });
    let sink = DepthSink {
        document: Node::new(QualName::new(None, ns!(), LocalName::from("")), 0),
        state: state.clone(),
    };
    let mut parser = match mode {
        Mode::Document => html5ever::parse_document(sink, Default::default()),
        Mode::Fragment => html5ever::parse_fragment(
            sink,
            Default::default(),
            QualName::new(None, ns!(html), local_name!("body")),
            Vec::new(),
            false,
        ),
    };
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        if state.over.get() {
            return None;
        }
        rest = tail;
    }
    parser.finish();
    if state.over.get() {
        return None;
    }
    // The fragment parser wraps the fragment in an <html> element, the document parser
    // in <html><body>: count from the text's own elements.
    let wrappers = match mode {
        Mode::Document => 2,
        Mode::Fragment => 1,
    };
    Some(state.deepest.get().saturating_sub(wrappers))
}

struct State {
    limit: usize,
    deepest: Cell<usize>,
    over: Cell<bool>,
}

/// An element as the sink knows it: its name (the tree builder asks for it) and depth.
struct Node {
    name: QualName,
    depth: Cell<usize>,
    has_parent: Cell<bool>,
    annotation_xml_integration_point: bool,
    template_contents: RefCell<Option<Rc<Node>>>,
}

impl Node {
    fn new(name: QualName, depth: usize) -> Rc<Node> {
        Rc::new(Node {
            name,
            depth: Cell::new(depth),
            has_parent: Cell::new(false),
            annotation_xml_integration_point: false,
            template_contents: RefCell::new(None),
        })
    }
}

struct DepthSink {
    document: Rc<Node>,
    state: Rc<State>,
}

impl DepthSink {
    fn place(&self, child: NodeOrText<Rc<Node>>, depth: usize) {
        if let NodeOrText::AppendNode(node) = child {
            node.depth.set(depth);
            node.has_parent.set(true);
            let s = &self.state;
            if depth > s.deepest.get() {
                s.deepest.set(depth);
            }
            // The wrappers (see `depth_within`) are at most 2 levels.
            if depth > s.limit + 2 {
                s.over.set(true);
            }
        }
    }
}

impl TreeSink for DepthSink {
    type Handle = Rc<Node>;
    type Output = ();
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) {}

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Rc<Node> {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Rc<Node>) -> ExpandedName<'a> {
        target.name.expanded()
    }

    fn create_element(
        &self,
        name: QualName,
        _attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Rc<Node> {
        Rc::new(Node {
            name,
            depth: Cell::new(0),
            has_parent: Cell::new(false),
            annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
            template_contents: RefCell::new(None),
        })
    }

    fn create_comment(&self, _text: StrTendril) -> Rc<Node> {
        Node::new(QualName::new(None, ns!(), LocalName::from("")), 0)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Rc<Node> {
        Node::new(QualName::new(None, ns!(), LocalName::from("")), 0)
    }

    fn append(&self, parent: &Rc<Node>, child: NodeOrText<Rc<Node>>) {
        self.place(child, parent.depth.get() + 1);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Rc<Node>,
        prev_element: &Rc<Node>,
        child: NodeOrText<Rc<Node>>,
    ) {
        if element.has_parent.get() {
            self.place(child, element.depth.get());
        } else {
            self.place(child, prev_element.depth.get() + 1);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Rc<Node>) -> Rc<Node> {
        // The contents sit where the template is, as deep as it.
        target
            .template_contents
            .borrow_mut()
            .get_or_insert_with(|| {
                Node::new(
                    QualName::new(None, ns!(), LocalName::from("")),
                    target.depth.get(),
                )
            })
            .clone()
    }

    fn same_node(&self, x: &Rc<Node>, y: &Rc<Node>) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Rc<Node>, new_node: NodeOrText<Rc<Node>>) {
        self.place(new_node, sibling.depth.get());
    }

    fn add_attrs_if_missing(&self, _target: &Rc<Node>, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Rc<Node>) {
        target.has_parent.set(false);
    }

    // Moving children under a new parent (the adoption agency) replaces one ancestor by
    // another at the same level: no element gets deeper, so there is nothing to update.
    fn reparent_children(&self, _node: &Rc<Node>, _new_parent: &Rc<Node>) {}

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Rc<Node>) -> bool {
        handle.annotation_xml_integration_point
    }
}
